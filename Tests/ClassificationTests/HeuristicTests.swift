import Classification
import Moderation
import Normalization
import Testing

/// Each heuristic on its own, on plain values.
struct HeuristicTests {
    /// Runs `body` on the classifier input of `text` (with `links` and `hidden` ranges, as the HTML stage
    /// would give them), normalized by the real normalizer.
    static func withInput<Result>(
        _ text: String,
        links: [Link] = [],
        hidden: [Range<Int>] = [],
        _ body: (borrowing ClassifierInput) -> Result
    ) -> Result {
        let normalized = Normalizer().normalize(text)
        var text = text
        return text.withUTF8 { original in
            body(
                ClassifierInput(
                    original: original,
                    isASCII: normalized.isIdentity,
                    normalized: normalized,
                    links: links,
                    hiddenRanges: hidden,
                    context: PostContext()
                )
            )
        }
    }

    /// Runs `heuristic` over `text`.
    static func signals(
        _ heuristic: any Heuristic,
        _ text: String,
        links: [Link] = [],
        hidden: [Range<Int>] = []
    ) -> [Signal] {
        withInput(text, links: links, hidden: hidden) { heuristic.signals(in: $0) }
    }

    @Test(arguments: [
        ("FREE MONEY FOR EVERYONE WHO CLICKS NOW", true),
        ("Free money for everyone who clicks now", false),
        ("OMG YES", false),  // too short to be shouting
    ])
    func shouting(text: String, flagged: Bool) {
        #expect(!Self.signals(ShoutingHeuristic(), text).isEmpty == flagged)
    }

    @Test func repetitionPointsAtTheRun() throws {
        let text = "buy now!!!!!!!!!!!! ok"
        let signal = try #require(Self.signals(RepeatedCharacterHeuristic(), text).first)
        #expect(signal.span == 7..<19)
        #expect(Self.signals(RepeatedCharacterHeuristic(), "well...... ok").isEmpty)
    }

    @Test(arguments: [
        ("see http://a.example and https://b.example and www.c.example", 0.4),
        ("http://a.x http://b.x http://c.x http://d.x http://e.x", 0.6),
        ("just one http://a.example link", nil),
    ])
    func linkDensity(text: String, weight: Double?) {
        #expect(Self.signals(LinkDensityHeuristic(), text).first?.weight == weight)
    }

    @Test func hiddenTextIsASignalPerRange() {
        let signals = Self.signals(HiddenTextHeuristic(), "hi cashapp me", hidden: [3..<13])
        #expect(signals == [Signal(rule: "evasion.hidden_text", category: "evasion", weight: 0.5, span: 3..<13)])
    }

    @Test func evasionSignalsPointAtTheDisguise() {
        let mixed = Self.signals(EvasionHeuristic(), "pay on саshарр now")
        #expect(mixed.map(\.rule) == ["evasion.mixed_script"])
        #expect(mixed.first?.span == 7..<14)
        let invisible = Self.signals(EvasionHeuristic(), "ca\u{200B}shapp")
        #expect(invisible.map(\.rule) == ["evasion.invisible_characters"])
        #expect(invisible.first?.span == 2..<3)
        #expect(Self.signals(EvasionHeuristic(), "Café ❤️ 👨‍👩‍👧").isEmpty)
    }

    @Test(arguments: [
        (Link(target: "https://paypa1-login.xyz/a", anchorText: "www.paypal.com", anchorRange: 0..<14), true),
        (Link(target: "https://www.paypal.com/signin", anchorText: "paypal.com", anchorRange: 0..<10), false),
        (Link(target: "https://help.example.com", anchorText: "example.com", anchorRange: 0..<11), false),
        (Link(target: "https://evil.example", anchorText: "click here", anchorRange: 0..<10), false),
        (Link(target: "mailto:a@b.c", anchorText: "paypal.com", anchorRange: 0..<10), false),
    ])
    func linkMismatch(link: Link, flagged: Bool) {
        let signals = Self.signals(LinkMismatchHeuristic(), link.anchorText, links: [link])
        #expect(!signals.isEmpty == flagged)
        if flagged { #expect(signals.first?.span == link.anchorRange) }
    }
}
