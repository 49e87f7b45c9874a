import Moderation
import Normalization
import Testing

@testable import Matching

struct LexiconTests {
    /// A lexicon built the way the pipeline builds it: terms folded by the real normalizer.
    static func lexicon(_ files: (name: String, yaml: String)...) throws -> Lexicon {
        let ruleSet = try RuleSet(files: files.map { LexiconFile(name: $0.name, contents: $0.yaml) })
        return try Lexicon(ruleSet, normalize: { Normalizer().normalize($0).bytes })
    }

    /// One lexicon file with one rule per `(id, terms)` pair, every rule weighing 0.5.
    static func terms(_ rules: (id: String, terms: [String])...) throws -> Lexicon {
        var yaml = "category: test\nrules:\n"
        for rule in rules {
            let quoted = rule.terms.map { "\"\($0)\"" }.joined(separator: ", ")
            yaml += "  - id: \(rule.id)\n    terms: [\(quoted)]\n    weight: 0.5\n"
        }
        return try lexicon(("lexicons/test.yml", yaml))
    }

    struct Found: Equatable, CustomStringConvertible {
        var rule: String
        /// The normalized text the hit covers.
        var text: String
        var range: Range<Int>
        var description: String { "\(rule)@\(range)'\(text)'" }
    }

    /// Every hit in `text` (normalized first), with the normalized text it covers.
    static func hits(_ lexicon: Lexicon, in text: String, context: PostContext = PostContext()) -> [Found] {
        let bytes = Normalizer().normalize(text).bytes
        var scratch = lexicon.makeScratch()
        let result = bytes.withUnsafeBufferPointer { lexicon.hits(in: $0, context: context, using: &scratch) }
        return result.hits.map { hit in
            Found(
                rule: lexicon.rules[hit.ruleIndex].id,
                text: String(decoding: bytes[hit.range], as: UTF8.self),
                range: hit.range
            )
        }
    }

    static func ruleIDs(_ lexicon: Lexicon, in text: String, context: PostContext = PostContext()) -> [String] {
        hits(lexicon, in: text, context: context).map(\.rule)
    }

    // MARK: - Terms

    /// A term matches when it is not preceded or followed by a letter or digit.
    @Test(arguments: [
        ("my cashapp", true),
        ("cashapp", true),
        ("CashApp me", true),
        ("cashapp!", true),
        ("(cashapp)", true),
        ("pay via cashapp, thanks", true),
        ("_cashapp_", true),
        ("cashapps", false),
        ("mycashapp", false),
        ("cashapp2", false),
        ("2cashapp", false),
        ("écashapp", false),
        ("cashappé", false),
        ("cash", false),
    ])
    func termsMatchOnWordBoundaries(text: String, matches: Bool) throws {
        let lexicon = try Self.terms(("t.cashapp", ["cashapp"]))
        #expect(Self.ruleIDs(lexicon, in: text) == (matches ? ["t.cashapp"] : []))
    }

    @Test(arguments: ["cash app", "cash  app", "cash\tapp", "cash \n app", "CASH   APP"])
    func multiWordTermsMatchAcrossWhitespaceRuns(text: String) throws {
        let lexicon = try Self.terms(("t.cashapp", ["cash app"]))
        let hits = Self.hits(lexicon, in: "send to my " + text + " now")
        #expect(hits.map(\.rule) == ["t.cashapp"])
        #expect(hits.first?.text == text.lowercased())
    }

    @Test func termsAreNormalizedLikeText() throws {
        let lexicon = try Self.terms(("t.cashapp", ["ＣａｓｈＡｐｐ"]), ("t.fine", ["ﬁne"]))
        #expect(Self.ruleIDs(lexicon, in: "my CASHAPP is fine") == ["t.cashapp", "t.fine"])
    }

    @Test func shorterTermInsideLongerTermAreBothReported() throws {
        let lexicon = try Self.terms(("t.kill", ["kill"]), ("t.kys", ["kill yourself"]))
        let hits = Self.hits(lexicon, in: "just kill yourself")
        #expect(hits.count == 2)
        #expect(hits.contains(Found(rule: "t.kill", text: "kill", range: 5..<9)))
        #expect(hits.contains(Found(rule: "t.kys", text: "kill yourself", range: 5..<18)))
        // The longer term's prefix does not fire when it is not a whole word.
        #expect(Self.ruleIDs(lexicon, in: "killer instinct") == [])
        #expect(Self.ruleIDs(lexicon, in: "kill it") == ["t.kill"])
    }

    @Test func overlappingTermsOfDifferentRulesAreBothReported() throws {
        let lexicon = try Self.terms(("t.free", ["free money"]), ("t.now", ["money now"]))
        let hits = Self.hits(lexicon, in: "free money now")
        #expect(
            hits == [
                Found(rule: "t.free", text: "free money", range: 0..<10),
                Found(rule: "t.now", text: "money now", range: 5..<14),
            ]
        )
    }

    @Test func oneTermInTwoRulesFiresBoth() throws {
        let lexicon = try Self.terms(("t.first", ["venmo"]), ("t.second", ["zelle", "venmo"]))
        #expect(Self.ruleIDs(lexicon, in: "venmo me") == ["t.first", "t.second"])
    }

    @Test func hitsComeInTextOrderWithNormalizedByteRanges() throws {
        let lexicon = try Self.terms(("t.cashapp", ["cashapp"]), ("t.venmo", ["venmo"]))
        // "ﬁ" (3 bytes, 1 code point) becomes "fi" (2 bytes): ranges are bytes of the NORMALIZED text.
        let hits = Self.hits(lexicon, in: "ﬁrst ＶＥＮＭＯ then cashapp")
        #expect(
            hits == [
                Found(rule: "t.venmo", text: "venmo", range: 6..<11),
                Found(rule: "t.cashapp", text: "cashapp", range: 17..<24),
            ]
        )
    }

    @Test func repeatedTermsAreEachReported() throws {
        let lexicon = try Self.terms(("t.cashapp", ["cashapp"]))
        #expect(Self.hits(lexicon, in: "cashapp or cashapp").map(\.range) == [0..<7, 11..<18])
    }

    // MARK: - Patterns

    @Test func patternsRunCaselessOverNormalizedText() throws {
        let lexicon = try Self.lexicon(
            (
                "lexicons/t.yml",
                "category: t\nrules:\n  - id: t.tag\n    pattern: '\\$[a-z][a-z0-9_]{2,19}\\b'\n    weight: 0.3\n"
            )
        )
        #expect(Self.hits(lexicon, in: "send to $LolaVIP") == [Found(rule: "t.tag", text: "$lolavip", range: 8..<16)])
        #expect(Self.ruleIDs(lexicon, in: "it costs $40") == [])
    }

    // MARK: - Scope

    static let scoped = """
        category: t
        rules:
          - id: t.dm_only
            terms: [cashapp]
            weight: 0.5
            scope: {surfaces: [dm, comment]}
          - id: t.fan_to_creator
            terms: [cashapp]
            weight: 0.5
            scope: {authors: [fan], recipients: [creator]}
          - id: t.pattern_fans
            pattern: 'cash\\s*app'
            weight: 0.5
            scope: {authors: [fan]}
          - id: t.anywhere
            terms: [cashapp]
            weight: 0.5
        """

    @Test(arguments: [
        (PostContext(), ["t.anywhere"]),
        (PostContext(surface: .post), ["t.anywhere"]),
        (PostContext(surface: .dm), ["t.dm_only", "t.anywhere"]),
        (PostContext(authorRole: .creator, surface: .comment), ["t.dm_only", "t.anywhere"]),
        (PostContext(authorRole: .fan, surface: .bio), ["t.pattern_fans", "t.anywhere"]),
        (
            PostContext(authorRole: .fan, recipientRole: .creator, surface: .dm),
            ["t.dm_only", "t.fan_to_creator", "t.pattern_fans", "t.anywhere"]
        ),
        (PostContext(authorRole: .creator, recipientRole: .fan, surface: .dm), ["t.dm_only", "t.anywhere"]),
    ])
    func scopeFiltersByContext(context: PostContext, expected: [String]) throws {
        let lexicon = try Self.lexicon(("lexicons/t.yml", Self.scoped))
        #expect(Self.ruleIDs(lexicon, in: "my cashapp", context: context) == expected)
    }

    // MARK: - Allow phrases

    static let allowing = """
        category: t
        rules:
          - id: t.cashapp
            terms: [cashapp, cash app]
            weight: 0.6
          - id: t.support
            terms: [support]
            weight: 0.2
        allow: ["cashapp support", "Cash App Card"]
        """

    static let otherFile = """
        category: u
        rules:
          - id: u.cashapp
            terms: [cashapp]
            weight: 0.5
        """

    @Test(arguments: [
        ("my cashapp", ["t.cashapp", "u.cashapp"]),
        ("contact cashapp support today", ["u.cashapp"]),
        ("CASHAPP   SUPPORT", ["u.cashapp"]),
        ("got a cash app card", []),
        ("cashapp support, or my cashapp", ["u.cashapp", "t.cashapp", "u.cashapp"]),
        ("support", ["t.support"]),
    ])
    func allowPhrasesSuppressTheirOwnFilesHits(text: String, expected: [String]) throws {
        let lexicon = try Self.lexicon(("lexicons/t.yml", Self.allowing), ("lexicons/u.yml", Self.otherFile))
        #expect(Self.ruleIDs(lexicon, in: text) == expected)
    }

    @Test func emptyTextHasNoHits() throws {
        let lexicon = try Self.terms(("t.cashapp", ["cashapp"]))
        #expect(Self.hits(lexicon, in: "").isEmpty)
    }
}
