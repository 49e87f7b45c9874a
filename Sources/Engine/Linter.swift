internal import Classification
internal import Matching
internal import Moderation
internal import Normalization
internal import Routing

/// One problem `triage lint` found, located at `file:line:column`.
public struct LintProblem: Sendable, Equatable {
    /// `file:line:column` (or `file:line`, or the folder, where nothing finer is known).
    public var location: String
    /// What is wrong, in one line.
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }
}

/// Checks a lexicons folder the way a reviewer would before it ships: every file reads, every pattern
/// compiles, ids are unique, every example matches its rule and no counterexample does, no pattern
/// backtracks catastrophically, no override loosens a floor, and the domain list reads.
public enum Linter {
    /// Every problem in the lexicons folder `directory`, in file order.
    public static func lint(directory: String) -> [LintProblem] {
        let folder: RuleFolder
        do {
            folder = try RuleFolder(directory: directory)
        } catch {
            return [LintProblem(location: directory, message: error.description)]
        }
        var problems: [LintProblem] = []
        let (ruleSet, ruleProblems) = RuleSet.read(files: folder.lexiconFiles)
        problems += ruleProblems.map(problem(from:))
        if let policyText = folder.policyText {
            do {
                let policy = try Policy(parsing: policyText, file: "\(folder.prefix)/policy.yml")
                problems += policy.floorViolations().map(problem(from:))
            } catch {
                problems.append(problem(from: error))
            }
        } else {
            problems.append(LintProblem(location: directory, message: "no policy.yml in the lexicons folder"))
        }
        if let domainsText = folder.domainsText {
            do throws(ClassificationError) {
                _ = try DomainList(parsing: domainsText, file: "\(folder.prefix)/domains.yml")
            } catch {
                problems.append(problem(from: error))
            }
        }
        let normalizer = Normalizer()
        let lexicon: Lexicon
        do {
            lexicon = try Lexicon(ruleSet, normalize: { normalizer.normalize($0).bytes })
        } catch {
            // Patterns were compiled one by one above, so this is only reached for a problem already reported.
            return problems.isEmpty ? [problem(from: error)] : problems
        }
        problems += checkExamples(of: lexicon, normalizer: normalizer)
        problems += checkPatterns(of: lexicon)
        return problems
    }

    /// Examples that their rule misses, and counterexamples it matches.
    static func checkExamples(of lexicon: Lexicon, normalizer: Normalizer) -> [LintProblem] {
        var problems: [LintProblem] = []
        var scratch = lexicon.makeScratch()
        func fires(_ ruleIndex: Int, on text: String) -> Bool {
            let context = lexicon.rules[ruleIndex].scope.sampleContext
            let normalized = normalizer.normalize(text)
            return normalized.bytes.withUnsafeBufferPointer { bytes in
                lexicon.hits(in: bytes, context: context, using: &scratch).hits.contains { $0.ruleIndex == ruleIndex }
            }
        }
        for (index, rule) in lexicon.rules.enumerated() {
            for (offset, example) in rule.examples.enumerated() where !fires(index, on: example) {
                let location = offset < rule.exampleLocations.count ? rule.exampleLocations[offset] : rule.source
                problems.append(
                    LintProblem(location: location, message: "rule '\(rule.id)' misses its example \"\(example)\"")
                )
            }
            for (offset, counterexample) in rule.counterexamples.enumerated() where fires(index, on: counterexample) {
                let location =
                    offset < rule.counterexampleLocations.count ? rule.counterexampleLocations[offset] : rule.source
                problems.append(
                    LintProblem(
                        location: location,
                        message: "rule '\(rule.id)' matches its counterexample \"\(counterexample)\""
                    )
                )
            }
        }
        return problems
    }

    /// Patterns that run out of PCRE2's match limit on adversarial text, and `\b` where it cannot match.
    static func checkPatterns(of lexicon: Lexicon) -> [LintProblem] {
        var problems: [LintProblem] = []
        var scratch = MatchScratch(matchLimit: 1_000_000)
        for rule in lexicon.rules {
            guard case .pattern(let source) = rule.matcher else { continue }
            if let trap = wordBoundaryTrap(in: source) {
                problems.append(
                    LintProblem(
                        location: rule.matcherLocation,
                        message: "rule '\(rule.id)': '\(trap)' can never match after a space or at the start: "
                            + "\\b needs a word character on one side; use (?<![\\w$]) or drop it"
                    )
                )
            }
            guard let pattern = try? Pattern(source, source: rule.matcherLocation, caseless: true) else { continue }
            for input in adversarialInputs(for: source, examples: rule.examples) {
                var text = input
                let finished = text.withUTF8 { utf8 in pattern.forEachMatch(in: utf8, using: &scratch) { _ in } }
                if !finished {
                    let sample = String(input.prefix(12)).debugDescription
                    problems.append(
                        LintProblem(
                            location: rule.matcherLocation,
                            message: "rule '\(rule.id)': pattern backtracks catastrophically (hit PCRE2's match limit "
                                + "on \(input.unicodeScalars.count) characters starting \(sample)); "
                                + "avoid nested or adjacent overlapping quantifiers"
                        )
                    )
                    break
                }
            }
        }
        return problems
    }

    /// Texts that make a backtracking engine work hard: long runs of the characters the pattern names,
    /// alone and separated, with and without a trailing character that spoils the match, and the
    /// examples repeated.
    static func adversarialInputs(for pattern: String, examples: [String]) -> [String] {
        var characters: Set<Character> = ["a", " ", "1", ".", "-", "x", "_"]
        for character in pattern where character.isLetter || character.isNumber || character.isPunctuation {
            characters.insert(Character(character.lowercased()))
        }
        // PCRE2 gives up at once where a character every match needs does not follow, so each run is followed
        // by all the characters the pattern names: the engine then has to try, and fail, along the whole run.
        let named = String(characters.sorted())
        var inputs: [String] = []
        for character in characters.sorted() {
            let run = String(repeating: character, count: 2_000)
            inputs.append(run + "!" + named)
            inputs.append(String(repeating: String(character) + " ", count: 1_000) + "!" + named)
        }
        for example in examples {
            inputs.append(Array(repeating: example, count: 100).joined(separator: " "))
        }
        return inputs
    }

    /// A `\b` right before a character that is not a word character (`\b$`, `\b@`): it needs a word
    /// character just before, so it can never match after a space or at the start of a post.
    static func wordBoundaryTrap(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            if scalars[index] == "\\" {
                if scalars[index + 1] == "b" {
                    var next = scalars[index + 2]
                    if next == "\\", index + 3 < scalars.count {
                        next = scalars[index + 3]
                        // An escaped symbol (`\$`, `\@`, `\.`) is a literal non-word character.
                        if !next.properties.isAlphabetic, !("0"..."9").contains(next) {
                            return "\\b\\" + String(next)
                        }
                    } else if "$@#+.!?*&%".unicodeScalars.contains(next) {
                        return "\\b" + String(next)
                    }
                }
                index += 2
                continue
            }
            index += 1
        }
        return nil
    }

    static func problem(from error: MatchingError) -> LintProblem {
        switch error {
        case .invalidPattern(let source, let offset, let reason):
            LintProblem(location: source, message: "pattern does not compile at byte \(offset): \(reason)")
        case .invalidLexicon(let location, let reason):
            LintProblem(location: location, message: reason)
        case .duplicateRule(let id, let first, let second):
            LintProblem(location: second, message: "rule id '\(id)' is already used at \(first)")
        }
    }

    static func problem(from error: ClassificationError) -> LintProblem {
        switch error {
        case .invalidDomainList(let location, let reason): LintProblem(location: location, message: reason)
        }
    }

    static func problem(from error: RoutingError) -> LintProblem {
        switch error {
        case .invalidPolicy(let location, let reason), .floorLoosened(let location, let reason):
            LintProblem(location: location, message: reason)
        }
    }
}

extension ContextScope {
    /// A context this scope admits: the first allowed role and surface of each kind, or unknown for any.
    var sampleContext: PostContext {
        PostContext(
            authorRole: authors.min { $0.rawValue < $1.rawValue } ?? .unknown,
            recipientRole: recipients.min { $0.rawValue < $1.rawValue } ?? .unknown,
            surface: surfaces.min { $0.rawValue < $1.rawValue } ?? .unknown
        )
    }
}
