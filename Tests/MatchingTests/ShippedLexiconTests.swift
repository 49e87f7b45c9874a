import Foundation
import Moderation
import Normalization
import Testing

@testable import Matching

/// The repository's own `lexicons/`: every rule's examples must fire it and its counterexamples must not.
struct ShippedLexiconTests {
    /// The package root: this file is `<root>/Tests/MatchingTests/ShippedLexiconTests.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `lexicons/*.yml` but the policy and the domain list, named as the pipeline names them.
    static func lexiconFiles() throws -> [LexiconFile] {
        let folder = packageRoot.appendingPathComponent("lexicons")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yml") && $0 != "policy.yml" && $0 != "domains.yml" }
            .sorted()
        return try names.map { name in
            LexiconFile(
                name: "lexicons/\(name)",
                contents: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            )
        }
    }

    /// The full shipped rule set, compiled once for every test case.
    static let shipped: Result<Lexicon, any Error> = Result {
        try Lexicon(RuleSet(files: lexiconFiles()), normalize: { Normalizer().normalize($0).bytes })
    }

    static let ruleIDs: [String] = (try? shipped.get().rules.map(\.id)) ?? []

    /// A context the rule's scope admits, so that scoped rules can fire on their examples.
    static func context(admittedBy scope: ContextScope) -> PostContext {
        PostContext(
            authorRole: scope.authors.sorted { $0.rawValue < $1.rawValue }.first ?? .unknown,
            recipientRole: scope.recipients.sorted { $0.rawValue < $1.rawValue }.first ?? .unknown,
            surface: scope.surfaces.sorted { $0.rawValue < $1.rawValue }.first ?? .unknown
        )
    }

    static func firedRules(_ lexicon: Lexicon, in text: String, context: PostContext) -> Set<String> {
        let bytes = Normalizer().normalize(text).bytes
        var scratch = lexicon.makeScratch()
        let result = bytes.withUnsafeBufferPointer { lexicon.hits(in: $0, context: context, using: &scratch) }
        return Set(result.hits.map { lexicon.rules[$0.ruleIndex].id })
    }

    @Test func shippedLexiconsLoad() throws {
        let files = try Self.lexiconFiles()
        #expect(files.count >= 12)
        let lexicon = try Self.shipped.get()
        #expect(lexicon.rules.count > 100)
        #expect(Set(lexicon.rules.map(\.id)).count == lexicon.rules.count)
        for rule in lexicon.rules {
            #expect(rule.source.hasPrefix("lexicons/"), "\(rule.id)")
            #expect(!rule.examples.isEmpty, "\(rule.id) at \(rule.source) has no examples")
        }
    }

    @Test(arguments: ruleIDs)
    func examplesFireTheRuleAndCounterexamplesDoNot(ruleID: String) throws {
        let lexicon = try Self.shipped.get()
        let rule = try #require(lexicon.rules.first { $0.id == ruleID })
        let context = Self.context(admittedBy: rule.scope)
        for example in rule.examples {
            #expect(
                Self.firedRules(lexicon, in: example, context: context).contains(rule.id),
                "\(rule.source): example \"\(example)\" does not fire \(rule.id)"
            )
        }
        for counterexample in rule.counterexamples {
            #expect(
                !Self.firedRules(lexicon, in: counterexample, context: context).contains(rule.id),
                "\(rule.source): counterexample \"\(counterexample)\" fires \(rule.id)"
            )
        }
    }
}
