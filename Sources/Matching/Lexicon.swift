public import Moderation

/// Compiled lexicon rules, shared read-only by every worker.
///
/// No post runs one regex per rule. Literal terms of every rule live in one `LiteralAutomaton` walked from
/// word starts, which both finds them and says which rules they belong to. Raw PCRE2 patterns are
/// JIT-compiled, and each is run only on posts that contain one of the literals every match of it must
/// contain (`RequiredLiterals`), so the posts no rule touches — most of them — never reach PCRE2.
public final class Lexicon: Sendable {
    /// Every rule, indexed by `Hit.ruleIndex`.
    public let rules: [Rule]
    /// How many distinct literal terms the rules have.
    public let termCount: Int
    private let terms: LiteralAutomaton
    private let patterns: [(program: Pattern, ruleIndex: Int)]
    /// Indices into `patterns` of those with no usable literal: they run on every post.
    private let unfilteredPatterns: [Int]
    /// Finds the literals that admit patterns; values are indices into `patterns`.
    private let patternPrefilter: SubstringPrefilter
    private let allowPhrases: LiteralAutomaton
    private let allowRuleRanges: [Range<Int>]
    private let composites: [CompiledComposition]

    /// Compiles `ruleSet`. `normalize` must be the pipeline's own normalizer, so that terms are folded exactly
    /// as the text they are matched against.
    public init(_ ruleSet: RuleSet, normalize: @Sendable (String) -> [UInt8]) throws(MatchingError) {
        rules = ruleSet.rules
        var termRules: [[UInt8]: [Int]] = [:]
        var patterns: [(program: Pattern, ruleIndex: Int)] = []
        var prefilterLiterals: [[UInt8]: [Int]] = [:]
        var unfiltered: [Int] = []
        var composites: [CompiledComposition] = []
        // Patterns are compiled (with JIT) and their required literals worked out on every core: together
        // they are a third of start-up. The results are taken in rule order below.
        // So are the terms, each through the pipeline's normalizer.
        let termKeys = ruleSet.rules.concurrentMap { rule -> [[UInt8]] in
            guard case .terms(let list) = rule.matcher else { return [] }
            return list.map { Self.key(normalize($0)) }
        }
        let patternRules = ruleSet.rules.filter { if case .pattern = $0.matcher { true } else { false } }
        var compiledPatterns = patternRules.concurrentMap { rule -> Result<(Pattern, Set<String>?), MatchingError> in
            guard case .pattern(let source) = rule.matcher else { preconditionFailure("filtered to patterns") }
            do throws(MatchingError) {
                let program = try Pattern(source, source: rule.matcherLocation, caseless: true)
                return .success((program, RequiredLiterals.of(source)))
            } catch {
                return .failure(error)
            }
        }.makeIterator()
        for (index, rule) in ruleSet.rules.enumerated() {
            switch rule.matcher {
            case .terms:
                for key in termKeys[index] where !key.isEmpty {
                    if termRules[key, default: []].last != index { termRules[key, default: []].append(index) }
                }
            case .composite(let composition):
                // References were checked when the rule set was read, so every id names a rule.
                let resolve = { (id: String) in ruleSet.rules.firstIndex { $0.id == id } ?? -1 }
                composites.append(
                    CompiledComposition(
                        ruleIndex: index,
                        allOf: composition.allOf.map(resolve),
                        anyOf: composition.anyOf.map(resolve),
                        minimumOfAnyOf: composition.minimumOfAnyOf,
                        noneOf: composition.noneOf.map(resolve),
                        withinWords: composition.withinWords
                    )
                )
            case .pattern:
                guard let compiled = compiledPatterns.next() else { preconditionFailure("one result per pattern") }
                let (program, requiredLiterals) = try compiled.get()
                if let literals = requiredLiterals {
                    for literal in literals {
                        prefilterLiterals[Array(literal.utf8), default: []].append(patterns.count)
                    }
                } else {
                    unfiltered.append(patterns.count)
                }
                patterns.append((program, index))
            }
        }
        self.composites = composites
        termCount = termRules.count
        self.patterns = patterns
        unfilteredPatterns = unfiltered
        var allowLiterals: [[UInt8]: [Int]] = [:]
        for (listIndex, list) in ruleSet.allowLists.enumerated() {
            for phrase in list.phrases {
                let key = Self.key(normalize(phrase))
                if !key.isEmpty { allowLiterals[key, default: []].append(listIndex) }
            }
        }
        // The term automaton, the largest table, is built beside the pattern prefilter and the allow phrases.
        let termLiterals = Self.sorted(termRules)
        let otherLiterals = [Self.sorted(prefilterLiterals), Self.sorted(allowLiterals)]
        (terms, (patternPrefilter, allowPhrases)) = concurrently(
            { LiteralAutomaton(literals: termLiterals) },
            { (SubstringPrefilter(literals: otherLiterals[0]), LiteralAutomaton(literals: otherLiterals[1])) }
        )
        allowRuleRanges = ruleSet.allowLists.map(\.ruleIndices)
    }

    /// How many hits of one rule a post reports; a rule scores once per post anyway, and a text that repeats
    /// a term without end must not make its verdict grow without end.
    public static let maxHitsPerRule = 32

    /// Makes the per-worker match memory this lexicon needs.
    public func makeScratch() -> MatchScratch { MatchScratch() }

    /// Finds every rule that fires in `text` (normalized UTF-8) for a post in `context`, in text order.
    public func hits(
        in text: UnsafeBufferPointer<UInt8>,
        context: PostContext,
        using scratch: inout MatchScratch
    ) -> LexiconResult {
        var result = LexiconResult()
        // Where each (rule, span) already is in `result.hits`, and how many hits each rule has: a post that
        // repeats a term a hundred thousand times must cost linear time, not quadratic.
        var seen: [HitKey: Int] = [:]
        var perRule: [Int: Int] = [:]
        func record(_ hit: Hit) {
            let key = HitKey(ruleIndex: hit.ruleIndex, lower: hit.range.lowerBound, upper: hit.range.upperBound)
            if let index = seen[key] {
                // A disguised term can be reached along several readings: report it once, as plainly read as it
                // can be.
                result.hits[index].substitutions = min(result.hits[index].substitutions, hit.substitutions)
                return
            }
            guard perRule[hit.ruleIndex, default: 0] < Self.maxHitsPerRule else {
                result.truncatedRules.insert(hit.ruleIndex)
                result.omittedHits += 1
                return
            }
            perRule[hit.ruleIndex, default: 0] += 1
            seen[key] = result.hits.count
            result.hits.append(hit)
        }
        terms.forEachMatch(in: text) { range, output, substitutions in
            // A disguised reading must keep at least one real letter: `141` is a number, not `l4l`.
            if substitutions > 0, !text[range].contains(where: { ($0 | 0x20) &- 0x61 < 26 || $0 >= 0x80 }) { return }
            for ruleIndex in terms.outputs[output] where rules[ruleIndex].scope.admits(context) {
                record(Hit(ruleIndex: ruleIndex, range: range, substitutions: substitutions))
            }
        }
        var candidates = ValueSet()
        for pattern in unfilteredPatterns { candidates.insert(pattern) }
        patternPrefilter.collect(in: text, into: &candidates)
        candidates.forEachMember { candidate in
            let (program, ruleIndex) = patterns[candidate]
            guard rules[ruleIndex].scope.admits(context) else { return }
            let finished = program.forEachMatch(in: text, using: &scratch) { range in
                record(Hit(ruleIndex: ruleIndex, range: range))
            }
            if !finished { result.limitsExceeded.append(program.source) }
        }
        if !result.hits.isEmpty, !allowRuleRanges.isEmpty { removeAllowed(from: &result.hits, in: text) }
        if !result.hits.isEmpty, !composites.isEmpty { addComposites(to: &result.hits, in: text, context: context) }
        result.hits.sort { ($0.range.lowerBound, $0.ruleIndex) < ($1.range.lowerBound, $1.ruleIndex) }
        if result.hits.count > 1 { removeNested(&result.hits) }
        return result
    }

    /// Adds a hit for each composite rule whose condition the hits so far meet, spanning the hits it counted.
    private func addComposites(to hits: inout [Hit], in text: UnsafeBufferPointer<UInt8>, context: PostContext) {
        var wordStarts: [Int]?
        for composite in composites where rules[composite.ruleIndex].scope.admits(context) {
            let fired = Set(hits.map(\.ruleIndex))
            guard composite.allOf.allSatisfy(fired.contains), !composite.noneOf.contains(where: fired.contains),
                composite.anyOf.filter(fired.contains).count >= composite.minimumOfAnyOf
            else { continue }
            let counted = Set(composite.allOf + composite.anyOf)
            let parts = hits.filter { counted.contains($0.ruleIndex) }
            guard let first = parts.map(\.range.lowerBound).min(), let last = parts.map(\.range.upperBound).max() else {
                continue
            }
            if let limit = composite.withinWords {
                let starts = wordStarts ?? Self.wordStarts(in: text)
                wordStarts = starts
                guard Self.fitsWithin(limit, words: starts, composite: composite, hits: hits) else { continue }
            }
            hits.append(Hit(ruleIndex: composite.ruleIndex, range: first..<last))
        }
    }

    /// Whether some hit of each `allOf` rule and of `minimumOfAnyOf` `anyOf` rules lie within `limit` words of
    /// one anchor hit.
    private static func fitsWithin(_ limit: Int, words: [Int], composite: CompiledComposition, hits: [Hit]) -> Bool {
        func word(_ offset: Int) -> Int {
            var low = 0
            var high = words.count
            while low < high {
                let middle = (low + high) / 2
                if words[middle] <= offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
        // Anchor on the first `allOf` rule, or on any counted `anyOf` rule when there is no `allOf`.
        let anchorRules = composite.allOf.first.map { [$0] } ?? composite.anyOf
        for anchor in hits where anchorRules.contains(anchor.ruleIndex) {
            let center = word(anchor.range.lowerBound)
            func near(_ rule: Int) -> Bool {
                hits.contains { $0.ruleIndex == rule && abs(word($0.range.lowerBound) - center) <= limit }
            }
            if composite.allOf.allSatisfy(near), composite.anyOf.filter(near).count >= composite.minimumOfAnyOf {
                return true
            }
        }
        return false
    }

    /// Byte offsets where words start: a letter or digit after anything else.
    private static func wordStarts(in text: UnsafeBufferPointer<UInt8>) -> [Int] {
        var starts: [Int] = []
        var previousIsWord = false
        for (offset, byte) in text.enumerated() {
            let isWord = (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte >= 0x80
            if isWord, !previousIsWord { starts.append(offset) }
            previousIsWord = isWord
        }
        return starts
    }

    /// Drops a hit that lies inside a longer hit of the same rule (`cashapp` inside `cashapp me`), keeping the
    /// others in order.
    private func removeNested(_ hits: inout [Hit]) {
        // Per rule, by start, longest first: a hit is nested when an earlier one reaches at least as far.
        let order = hits.indices.sorted { a, b in
            let (x, y) = (hits[a], hits[b])
            return (x.ruleIndex, x.range.lowerBound, -x.range.upperBound) < (
                y.ruleIndex, y.range.lowerBound, -y.range.upperBound
            )
        }
        var nested = [Bool](repeating: false, count: hits.count)
        var rule = -1
        var reach = -1
        for index in order {
            let hit = hits[index]
            if hit.ruleIndex != rule {
                (rule, reach) = (hit.ruleIndex, hit.range.upperBound)
                continue
            }
            if hit.range.upperBound <= reach { nested[index] = true } else { reach = hit.range.upperBound }
        }
        var index = 0
        hits.removeAll { _ in
            defer { index += 1 }
            return nested[index]
        }
    }

    /// Drops hits that lie inside an allow phrase of their own lexicon file.
    private func removeAllowed(from hits: inout [Hit], in text: UnsafeBufferPointer<UInt8>) {
        var allowed: [(range: Range<Int>, rules: Range<Int>)] = []
        allowPhrases.forEachMatch(in: text) { range, output, _ in
            for list in allowPhrases.outputs[output] { allowed.append((range, allowRuleRanges[list])) }
        }
        guard !allowed.isEmpty else { return }
        hits.removeAll { hit in
            allowed.contains { phrase in
                phrase.rules.contains(hit.ruleIndex) && phrase.range.lowerBound <= hit.range.lowerBound
                    && hit.range.upperBound <= phrase.range.upperBound
            }
        }
    }

    /// The lookup key of a term: runs of whitespace folded to one space, ends trimmed.
    static func key(_ bytes: [UInt8]) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte &- 0x09 < 5 {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace { key.append(0x20) }
            pendingSpace = false
            key.append(byte)
        }
        return key
    }

    /// Literals in a fixed order, so the automaton is the same on every run.
    private static func sorted(_ table: [[UInt8]: [Int]]) -> [(bytes: [UInt8], values: [Int])] {
        table.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }
}

extension Lexicon {
    /// Every compiled pattern with its source, for `triage-bench rules`.
    public var programs: [(source: String, pattern: Pattern)] {
        patterns.map { ($0.program.source, $0.program) }
    }

    /// The required literals the prefilter uses for each pattern rule, or `nil` where the pattern runs on
    /// every post; for `triage lint` and tests.
    public static func requiredLiterals(ofPattern pattern: String) -> Set<String>? {
        RequiredLiterals.of(pattern)
    }
}

/// What a lexicon found in one text.
public struct LexiconResult: Sendable {
    /// Rules that fired, in text order.
    public var hits: [Hit] = []
    /// Sources of patterns that hit PCRE2's match limit before finishing: the text needs a person.
    public var limitsExceeded: [String] = []
    /// Rules that fired more than `Lexicon.maxHitsPerRule` times; only their first hits are kept.
    public var truncatedRules: Set<Int> = []
    /// Hits left out by that per-rule cap.
    public var omittedHits = 0

    public init() {}
}

/// A composite rule with its references resolved to rule indices.
struct CompiledComposition: Sendable {
    var ruleIndex: Int
    var allOf: [Int]
    var anyOf: [Int]
    var minimumOfAnyOf: Int
    var noneOf: [Int]
    var withinWords: Int?
}

/// A hit's identity, for finding it again in constant time.
private struct HitKey: Hashable {
    var ruleIndex: Int
    var lower: Int
    var upper: Int
}
