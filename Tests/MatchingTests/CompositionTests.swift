import Matching
import Moderation
import Normalization
import Testing

/// Composite rules fire on other rules, as SpamAssassin's meta rules do.
struct CompositionTests {
    static let base = """
        category: t
        rules:
          - id: t.urgent
            terms: [right now, urgent]
            weight: 0.3
          - id: t.pay
            terms: [cashapp, venmo]
            weight: 0.3
          - id: t.link
            terms: [click here]
            weight: 0.3
          - id: t.friend
            terms: [my friend]
            weight: 0.1

        """

    static func lexicon(_ composite: String) throws -> Lexicon {
        let files = [LexiconFile(name: "lexicons/t.yml", contents: base + composite)]
        return try Lexicon(RuleSet(files: files), normalize: { Normalizer().normalize($0).bytes })
    }

    static func fired(_ lexicon: Lexicon, _ text: String) -> [String] {
        var scratch = lexicon.makeScratch()
        let bytes = Normalizer().normalize(text).bytes
        return bytes.withUnsafeBufferPointer { buffer in
            lexicon.hits(in: buffer, context: PostContext(), using: &scratch).hits.map {
                lexicon.rules[$0.ruleIndex].id
            }
        }
    }

    @Test(arguments: [
        ("pay cashapp right now", true),
        ("pay cashapp later", false),
        ("urgent!", false),
    ])
    func allOfNeedsEveryRule(text: String, fires: Bool) throws {
        let lexicon = try Self.lexicon("  - id: t.combo\n    all_of: [t.urgent, t.pay]\n    weight: 0.8\n")
        #expect(Self.fired(lexicon, text).contains("t.combo") == fires)
    }

    @Test(arguments: [
        ("urgent, cashapp", true),
        ("urgent, click here", true),
        ("cashapp, click here, urgent", true),
        ("only cashapp", false),
    ])
    func anyOfWithAMinimumCount(text: String, fires: Bool) throws {
        let lexicon = try Self.lexicon(
            "  - id: t.combo\n    any_of: [t.urgent, t.pay, t.link]\n    min_count: 2\n    weight: 0.8\n"
        )
        #expect(Self.fired(lexicon, text).contains("t.combo") == fires)
    }

    @Test func noneOfVetoes() throws {
        let lexicon = try Self.lexicon(
            "  - id: t.combo\n    all_of: [t.pay]\n    none_of: [t.friend]\n    weight: 0.8\n"
        )
        #expect(Self.fired(lexicon, "venmo me").contains("t.combo"))
        #expect(!Self.fired(lexicon, "venmo my friend").contains("t.combo"))
    }

    @Test func withinWordsBoundsTheDistance() throws {
        let lexicon = try Self.lexicon(
            "  - id: t.combo\n    all_of: [t.urgent, t.pay]\n    within_words: 3\n    weight: 0.8\n"
        )
        #expect(Self.fired(lexicon, "urgent: cashapp me").contains("t.combo"))
        #expect(!Self.fired(lexicon, "urgent, the show is on tonight at eight and later cashapp").contains("t.combo"))
    }

    @Test func compositeSpansTheHitsItCounted() throws {
        let lexicon = try Self.lexicon("  - id: t.combo\n    all_of: [t.urgent, t.pay]\n    weight: 0.8\n")
        var scratch = lexicon.makeScratch()
        let text = "hey, urgent: send to cashapp ok"
        let hits = Array(text.utf8).withUnsafeBufferPointer {
            lexicon.hits(in: $0, context: PostContext(), using: &scratch).hits
        }
        let combo = try #require(hits.first { lexicon.rules[$0.ruleIndex].id == "t.combo" })
        #expect(String(decoding: Array(text.utf8)[combo.range], as: UTF8.self) == "urgent: send to cashapp")
    }

    @Test func unknownReferenceIsAnErrorThatSaysWhere() {
        #expect(
            throws: MatchingError.invalidLexicon(
                location: "lexicons/t.yml:16:13",
                reason: "rule 't.combo' refers to 't.nope', which is not a rule (or a composite defined before it)"
            )
        ) {
            try Self.lexicon("  - id: t.combo\n    all_of: [t.pay, t.nope]\n    weight: 0.8\n")
        }
    }
}
