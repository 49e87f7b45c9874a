import Engine
import Foundation
import Moderation
import Testing

/// `triage lint` passes on the shipped lexicons and points at the right line of each kind of broken one.
struct LinterTests {
    /// A lexicons folder in a fresh temporary directory, with the shipped policy unless `policy` is given.
    static func folder(_ files: [String: String], policy: String? = nil) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)/lexicons")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let shippedPolicy = RecordProcessorTests.packageRoot.appendingPathComponent("lexicons/policy.yml")
        try (policy ?? String(contentsOf: shippedPolicy, encoding: .utf8))
            .write(to: url.appendingPathComponent("policy.yml"), atomically: true, encoding: .utf8)
        for (name, contents) in files {
            try contents.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url.path
    }

    static func lint(_ yaml: String) throws -> [String] {
        Linter.lint(directory: try folder(["t.yml": yaml])).map { "\($0.location): \($0.message)" }
    }

    @Test func shippedLexiconsAreClean() {
        let problems = Linter.lint(directory: RecordProcessorTests.packageRoot.appendingPathComponent("lexicons").path)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(arguments: [
        (
            "unknown key",
            "category: spam\nrules:\n  - id: s.one\n    terms: [buy now]\n    wieght: 0.5\n",
            "lexicons/t.yml:5:5: unknown key 'wieght'; did you mean 'weight'?"
        ),
        (
            "YAML syntax",
            "category: spam\nrules: [\n",
            "lexicons/t.yml:3:1: YAML: did not find expected node content"
        ),
        (
            "bad pattern",
            "category: spam\nrules:\n  - id: s.one\n    pattern: 'foo('\n    weight: 0.5\n",
            "lexicons/t.yml:4:14: pattern does not compile at byte 4: missing closing parenthesis"
        ),
        (
            "duplicate id",
            "category: spam\nrules:\n  - id: s.one\n    terms: [a b]\n    weight: 0.5\n  - id: s.one\n    terms: [c d]\n    weight: 0.5\n",
            "lexicons/t.yml:6:9: rule id 's.one' is already used at lexicons/t.yml:3"
        ),
        (
            "missing example",
            "category: spam\nrules:\n  - id: s.one\n    terms: [free money]\n    weight: 0.5\n    examples: [\"money for free\"]\n",
            "lexicons/t.yml:6:16: rule 's.one' misses its example \"money for free\""
        ),
        (
            "counterexample that matches",
            "category: spam\nrules:\n  - id: s.one\n    terms: [free money]\n    weight: 0.5\n    counterexamples: [\"no free money\"]\n",
            "lexicons/t.yml:6:23: rule 's.one' matches its counterexample \"no free money\""
        ),
        (
            "missing weight",
            "category: spam\nrules:\n  - id: s.one\n    terms: [free money]\n",
            "lexicons/t.yml:3:5: rule 's.one' needs a 'weight' from 0 to 1"
        ),
    ])
    func brokenLexiconPointsAtItsLine(kind: String, yaml: String, expected: String) throws {
        #expect(try Self.lint(yaml) == [expected], "\(kind)")
    }

    @Test func catastrophicBacktrackingIsCaught() throws {
        let problems = try Self.lint(
            "category: spam\nrules:\n  - id: s.redos\n    pattern: '(a+)+b'\n    weight: 0.5\n"
        )
        #expect(problems.count == 1)
        #expect(
            problems.first?.hasPrefix("lexicons/t.yml:4:14: rule 's.redos': pattern backtracks catastrophically")
                == true
        )
    }

    @Test func wordBoundaryBeforeSymbolIsCaught() throws {
        let problems = try Self.lint(
            "category: spam\nrules:\n  - id: s.tag\n    pattern: '\\b\\$[a-z]+'\n    weight: 0.5\n"
        )
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(#"lexicons/t.yml:4:14: rule 's.tag': '\b\$' can never match"#) == true)
    }

    @Test func overrideLooseningAFloorIsCaught() throws {
        let policy = """
            default: {review: 0.5, block: 0.9}
            categories:
              minor_safety: {review: 0.3, block: 0.6, floor: true}
            overrides:
              - when: {authors: [creator]}
                categories:
                  minor_safety: {review: off}
            """
        let problems = Linter.lint(directory: try Self.folder([:], policy: policy))
        #expect(
            problems == [
                LintProblem(
                    location: "lexicons/policy.yml:7:7",
                    message: "'minor_safety' is a floor: review threshold off is looser than 0.3"
                )
            ]
        )
    }
}

/// Heuristic settings in policy.yml reach the verdicts.
struct HeuristicSettingsInPipelineTests {
    @Test func switchedOffAndReweightedHeuristics() throws {
        let policy = """
            default: {review: 0.5, block: 0.9}
            heuristics:
              pii.card: {enabled: false}
              pii.ssn: {weight: 0.4}
            """
        let pipeline = try Pipeline.load(lexicons: try LinterTests.folder([:], policy: policy))
        var scratch = pipeline.makeScratch()
        let card = try pipeline.moderate(Post(id: "a", body: "card 4111 1111 1111 1111"), using: &scratch)
        #expect(!card.verdict.findings.contains { $0.rule == "pii.card" })
        let ssn = try pipeline.moderate(Post(id: "b", body: "ssn 123-45-6789"), using: &scratch)
        #expect(ssn.verdict.findings.first { $0.rule == "pii.ssn" }?.weight == 0.4)
        #expect(ssn.verdict.action == .allow)
    }
}
