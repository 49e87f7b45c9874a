import Classification
import Testing

/// The spam shapes: each fires on its shape, with its span, and not on the near misses real posts have.
struct SpamShapeTests {
    static func rules(_ text: String) -> [String] {
        HeuristicTests.signals(SpamShapeHeuristic(), text).map(\.rule)
    }

    @Test(arguments: [
        ("bit.ly/3xYz", true),
        ("👉 https://t.co/abc", true),
        ("check this www.example.com", true),
        // A link with a sentence around it is a post, not a bare link.
        ("new set is up, the link is in my bio: https://onlyfans.com/jess enjoy", false),
        ("thanks!", false),
    ])
    func linkOnly(text: String, flagged: Bool) {
        #expect(Self.rules(text).contains("spam.link_only") == flagged)
    }

    @Test func mentionFloodSpansFirstToLastMention() throws {
        let text = "hey @a1 @b2 @c3 @d4 @e5 look"
        let signal = try #require(HeuristicTests.signals(SpamShapeHeuristic(), text).first)
        #expect(signal.rule == "spam.mention_flood")
        #expect(signal.span == 4..<23)
        #expect(signal.weight == 0.25)
        #expect(!Self.rules("thanks @jess and @mia for the collab, see you @friday").contains("spam.mention_flood"))
    }

    @Test func hashtagStuffingNeedsHashtagsToOutweighWords() {
        #expect(Self.rules("#fyp #viral #follow #like #love #instagood").contains("spam.hashtag_stuffing"))
        // Six tags under a long caption are a caption.
        let caption =
            "spent the whole weekend shooting this set in the mountains with the best crew, so proud of how "
            + "the light turned out on the last morning #travel #photo #set #mountains #crew #light"
        #expect(!Self.rules(caption).contains("spam.hashtag_stuffing"))
    }

    @Test func emojiFloodCountsPictographsAgainstWords() throws {
        let text = "wow 🔥🔥🔥🔥🔥🔥🔥🔥💯💯"
        let signal = try #require(HeuristicTests.signals(SpamShapeHeuristic(), text).first)
        #expect(signal.rule == "spam.emoji_flood")
        #expect(signal.span == 4..<14)  // code points, not bytes
        #expect(!Self.rules("love this so much 😍🔥").contains("spam.emoji_flood"))
    }

    @Test func repeatedWordsNeedFourInARow() throws {
        let signal = try #require(HeuristicTests.signals(SpamShapeHeuristic(), "BUY buy Buy buy now").first)
        #expect(signal.rule == "spam.repeated_words")
        #expect(signal.span == 0..<15)
        #expect(!Self.rules("no no no, not that one").contains("spam.repeated_words"))
        #expect(!Self.rules("a a a a").contains("spam.repeated_words"))  // single letters are not words here
    }
}
