public import Moderation
internal import YAMLSupport

/// One lexicon file's text, as read from disk.
public struct LexiconFile: Sendable {
    /// The name findings cite, such as `lexicons/hate.yml`.
    public var name: String
    /// The file's YAML text.
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// The rules and allow-list phrases of lexicon files, before compilation.
public struct RuleSet: Sendable {
    /// Every rule, in file order.
    public var rules: [Rule]
    /// For each lexicon file, its allow phrases and the indices of its rules they protect.
    public var allowLists: [AllowList]

    /// Phrases that suppress the hits of one file's rules when a hit lies inside one of them.
    public struct AllowList: Sendable {
        /// The phrases, as written.
        public var phrases: [String]
        /// Where the list is written.
        public var source: String
        /// Indices into `rules` of the rules it covers.
        public var ruleIndices: Range<Int>
    }

    public init(rules: [Rule] = [], allowLists: [AllowList] = []) {
        self.rules = rules
        self.allowLists = allowLists
    }

    static let fileKeys = ["category", "description", "rules", "allow"]
    static let ruleKeys = [
        "id", "description", "terms", "pattern", "all_of", "any_of", "none_of", "min_count", "within_words", "weight",
        "category", "scope", "examples", "counterexamples",
    ]

    /// Reads the rules of `files`, checking their shape.
    ///
    /// - Throws: `MatchingError.invalidLexicon` at the first problem, with `file:line:column`; a repeated
    ///   rule id is `MatchingError.duplicateRule`.
    public init(files: [LexiconFile]) throws(MatchingError) {
        let (ruleSet, problems) = Self.read(files: files)
        if let first = problems.first { throw first }
        self = ruleSet
    }

    /// Reads the rules of `files`, going on past problems so that `triage lint` can report them all: a file
    /// with a problem contributes the rules before it, a duplicate id or a pattern that does not compile
    /// drops just that rule.
    public static func read(files: [LexiconFile]) -> (RuleSet, problems: [MatchingError]) {
        // Files are parsed and their patterns compiled on every core (YAML parsing is a fifth of start-up);
        // ids are then checked and rules numbered in file order, so the outcome is the same as one by one.
        let parsedFiles = files.concurrentMap(ParsedFile.init)
        var ruleSet = RuleSet()
        var problems: [MatchingError] = []
        var firstSource: [String: String] = [:]
        for file in parsedFiles {
            let firstRule = ruleSet.rules.count
            for (rule, location, compileError) in file.rules {
                if let first = firstSource[rule.id] {
                    problems.append(.duplicateRule(id: rule.id, first: first, second: location))
                    continue
                }
                if let compileError {
                    problems.append(compileError)
                    continue
                }
                firstSource[rule.id] = rule.source
                ruleSet.rules.append(rule)
            }
            if let (phrases, source) = file.allow {
                ruleSet.allowLists.append(
                    AllowList(phrases: phrases, source: source, ruleIndices: firstRule..<ruleSet.rules.count)
                )
            }
            if let error = file.error {
                problems.append(.invalidLexicon(location: error.location, reason: error.reason))
            }
        }
        ruleSet.checkReferences(problems: &problems)
        return (ruleSet, problems)
    }

    /// What one file holds, read on its own: its rules in order (each with where its id is written and, for a
    /// pattern, why it does not compile), its allow list, and the problem that ended the reading, if any (the
    /// rules before it still count).
    private struct ParsedFile: Sendable {
        var rules: [(rule: Rule, idLocation: String, compileError: MatchingError?)] = []
        var allow: (phrases: [String], source: String)?
        var error: YAMLError?

        init(_ file: LexiconFile) {
            do throws(YAMLError) {
                let document = try YAMLValue(parsing: file.contents, file: file.name)
                try document.requireKeys(in: RuleSet.fileKeys)
                guard let categoryNode = document["category"] else {
                    throw document.error("a lexicon needs a 'category' (the category its rules score)")
                }
                let category = try categoryNode.text()
                for item in try document["rules"]?.items() ?? [] {
                    let rule = try RuleSet.rule(from: item, category: category)
                    var compileError: MatchingError?
                    if case .pattern(let source) = rule.matcher {
                        // Only checked here; `Lexicon` compiles it again with JIT, the costly half.
                        do {
                            _ = try Pattern(source, source: rule.matcherLocation, caseless: true, jit: false)
                        } catch {
                            compileError = error
                        }
                    }
                    rules.append((rule, item["id"]?.location ?? rule.source, compileError))
                }
                if let allow = document["allow"] { self.allow = (try allow.texts(), allow.fileLine) }
            } catch {
                self.error = error
            }
        }
    }

    /// Drops composite rules that name a rule that does not exist, or a composite rule that comes later
    /// (composites are evaluated after every other rule, in order, so one may build on those before it).
    private mutating func checkReferences(problems: inout [MatchingError]) {
        var known = Set(rules.filter { if case .composite = $0.matcher { false } else { true } }.map(\.id))
        var kept: [Rule] = []
        var keptIndex: [Int?] = []
        for rule in rules {
            if case .composite(let composition) = rule.matcher {
                let missing = (composition.allOf + composition.anyOf + composition.noneOf).filter {
                    !known.contains($0)
                }
                if let first = missing.first {
                    problems.append(
                        .invalidLexicon(
                            location: rule.matcherLocation,
                            reason:
                                "rule '\(rule.id)' refers to '\(first)', which is not a rule (or a composite defined "
                                + "before it)"
                        )
                    )
                    keptIndex.append(nil)
                    continue
                }
            }
            known.insert(rule.id)
            keptIndex.append(kept.count)
            kept.append(rule)
        }
        guard kept.count != rules.count else { return }
        rules = kept
        allowLists = allowLists.compactMap { list in
            let indices = list.ruleIndices.compactMap { keptIndex[$0] }
            guard let first = indices.first, let last = indices.last else { return nil }
            var list = list
            list.ruleIndices = first..<(last + 1)
            return list
        }
    }

    fileprivate static func rule(from item: YAMLValue, category fileCategory: String) throws(YAMLError) -> Rule {
        try item.requireKeys(in: ruleKeys)
        guard let id = try item["id"]?.text(), !id.isEmpty else { throw item.error("a rule needs an 'id'") }
        guard let weightNode = item["weight"] else { throw item.error("rule '\(id)' needs a 'weight' from 0 to 1") }
        let weight = try weightNode.number()
        guard weight > 0, weight <= 1 else { throw weightNode.error("weight must be above 0 and at most 1") }
        let matcher: Rule.Matcher
        let matcherLocation: String
        let compositeKeys = ["all_of", "any_of", "none_of"].filter { item[$0] != nil }
        switch (item["terms"], item["pattern"], compositeKeys.isEmpty) {
        case (let terms?, nil, true):
            let list = try terms.texts().filter { !$0.trimmingSpaces.isEmpty }
            guard !list.isEmpty else { throw terms.error("'terms' needs at least one term") }
            matcher = .terms(list)
            matcherLocation = terms.location
        case (nil, let pattern?, true):
            let text = try pattern.text()
            guard !text.isEmpty else { throw pattern.error("'pattern' is empty") }
            matcher = .pattern(text)
            matcherLocation = pattern.location
        case (nil, nil, false):
            let first = item[compositeKeys[0]] ?? item
            var composition = Composition(
                allOf: try item["all_of"]?.texts() ?? [],
                anyOf: try item["any_of"]?.texts() ?? [],
                noneOf: try item["none_of"]?.texts() ?? []
            )
            if composition.allOf.isEmpty, composition.anyOf.isEmpty {
                throw first.error("rule '\(id)' needs 'all_of' or 'any_of': 'none_of' alone never fires")
            }
            composition.minimumOfAnyOf = composition.anyOf.isEmpty ? 0 : 1
            if let count = item["min_count"] {
                let value = try count.number()
                guard value >= 1, value <= Double(composition.anyOf.count), value == value.rounded() else {
                    throw count.error("min_count must be a whole number from 1 to the number of 'any_of' rules")
                }
                composition.minimumOfAnyOf = Int(value)
            }
            if let within = item["within_words"] {
                let value = try within.number()
                guard value >= 1, value == value.rounded() else {
                    throw within.error("within_words must be a whole number above 0")
                }
                composition.withinWords = Int(value)
            }
            matcher = .composite(composition)
            matcherLocation = first.location
        case (nil, nil, true):
            throw item.error("rule '\(id)' needs 'terms', a 'pattern', or 'all_of'/'any_of' of other rules")
        default:
            throw item.error("rule '\(id)' mixes 'terms', 'pattern' and 'all_of'/'any_of'; split it into rules")
        }
        let scope = try item["scope"]?.contextScope() ?? ContextScope()
        return Rule(
            id: id,
            category: try item["category"]?.text() ?? fileCategory,
            weight: weight,
            description: try item["description"]?.text() ?? "",
            matcher: matcher,
            source: item.fileLine,
            scope: scope,
            examples: try item["examples"]?.texts() ?? [],
            counterexamples: try item["counterexamples"]?.texts() ?? [],
            matcherLocation: matcherLocation,
            exampleLocations: try item["examples"]?.items().map(\.location) ?? [],
            counterexampleLocations: try item["counterexamples"]?.items().map(\.location) ?? []
        )
    }
}

extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
