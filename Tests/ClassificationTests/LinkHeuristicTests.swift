import Foundation
import Moderation
import Testing

@testable import Classification

/// The link heuristic: each rule's positives and near misses, the allow list, HTML links and spans.
struct LinkHeuristicTests {
    static let domains = DomainList(
        blocked: [DomainList.Entry(domain: "grabify.link", category: "scam", weight: 0.9, note: "IP logger")],
        allowed: ["onlyfans.com", "xn--mnchen-3ya.de"]
    )
    static let heuristic = LinkHeuristic(domains: domains)

    /// The rules the heuristic finds in `text` (with HTML `links`), in order.
    static func rules(_ text: String, links: [Link] = []) -> [String] {
        HeuristicTests.signals(heuristic, text, links: links).map(\.rule)
    }

    /// The code point range of the first `needle` in `text`.
    static func codePoints(of needle: String, in text: String) throws -> Range<Int> {
        let range = try #require(text.range(of: needle))
        let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
        return start..<(start + needle.unicodeScalars.count)
    }

    // MARK: - Block list

    @Test(arguments: [
        ("grab it at grabify.link/abc", true),
        ("grab it at https://x.grabify.link/abc", true),  // a subdomain
        ("see GRABIFY.LINK now", true),  // no path, but `link` is a top-level domain links use
        ("wait...grabify.link", true),
        ("grab it at notgrabify.link/abc", false),  // a suffix is not a subdomain
        ("grab it at grabify.link.example.com/abc", false),
        ("mail me at me@grabify.link", false),  // an address, not a link
        ("grabify", false),
    ])
    func blocklisted(text: String, flagged: Bool) {
        #expect(Self.rules(text) == (flagged ? ["links.blocklisted"] : []), "\(text)")
    }

    @Test func blocklistedTakesTheEntrysCategoryAndWeight() throws {
        let text = "grab it at grabify.link/abc."
        let signal = try #require(HeuristicTests.signals(Self.heuristic, text).first)
        #expect(signal.category == "scam")
        #expect(signal.weight == 0.9)
        #expect(signal.span == (try Self.codePoints(of: "grabify.link/abc", in: text)))
    }

    // MARK: - IP hosts

    @Test(arguments: [
        ("login at http://45.12.9.3/login now", true),
        ("login at 45.12.9.3/login now", true),  // bare, but with a path
        ("panel at 45.12.9.3:8080 now", true),  // bare, but with a port
        ("http://[2001:db8::7]/x", true),
        ("http://3232235777/", true),  // a whole address as one number
        ("http://paypal.com@45.12.9.3/", true),  // the host is after the `@`
        ("update to v1.2.3.4 today", false),  // a version number
        ("version 1.2.3.4 is out", false),  // no scheme, path or port: not a link
        ("we met at 10.30 and left at 11.45", false),
        ("http://999.1.1.1.example.com/", false),  // a name whose first label is a number
    ])
    func ipHost(text: String, flagged: Bool) {
        #expect(Self.rules(text) == (flagged ? ["scam.ip_host"] : []), "\(text)")
    }

    // MARK: - Punycode

    @Test(arguments: [
        ("see http://xn--pypal-4ve.com/login", true),
        ("see xn--pypal-4ve.com", true),
        ("see https://shop.xn--pypal-4ve.com", true),
        ("see https://xn--mnchen-3ya.de/rathaus", false),  // allow-listed
        ("see https://www.xn--mnchen-3ya.de/", false),  // under an allowed domain
        ("see https://example.com/xn--abc", false),  // in the path, not the host
    ])
    func punycode(text: String, flagged: Bool) {
        #expect(Self.rules(text) == (flagged ? ["scam.punycode_domain"] : []), "\(text)")
    }

    // MARK: - Lookalikes

    @Test(arguments: [
        ("log in at p\u{430}ypal.com/login", true),  // a Cyrillic а among Latin letters
        ("log in at https://p\u{430}yp\u{430}l.com", true),
        ("log in at \u{430}\u{440}\u{440}\u{4CF}\u{435}.com", true),  // all Cyrillic, under an ASCII top-level domain
        ("log in at p\u{251}ypal.com/login", true),  // a Latin look-alike (ɑ)
        ("log in at paypal.com/login", false),  // plain ASCII
        ("visit http://\u{43F}\u{440}\u{438}\u{43C}\u{435}\u{440}.\u{440}\u{444}/", false),  // пример.рф: an IDN
        // сосо.укр: wholly Cyrillic, top-level domain included, however much of it folds to ASCII.
        ("visit \u{441}\u{43E}\u{441}\u{43E}.\u{443}\u{43A}\u{440}/x", false),
        ("menu at café.com/menu", false),  // Latin with an accent stays non-ASCII
        ("log in at \u{FF50}\u{FF41}\u{FF59}\u{FF50}\u{FF41}\u{FF4C}.com/x", false),  // fullwidth: the same host
        ("log in at p\u{430}ypal", false),  // a word, not a host
    ])
    func lookalike(text: String, flagged: Bool) {
        #expect(Self.rules(text) == (flagged ? ["scam.lookalike_domain"] : []), "\(text)")
    }

    @Test func lookalikeSpanIsTheOriginalHost() throws {
        let text = "💖 café ✨ log in at p\u{430}ypal.com/login, quick"
        let signal = try #require(HeuristicTests.signals(Self.heuristic, text).first)
        #expect(signal.span == (try Self.codePoints(of: "p\u{430}ypal.com/login", in: text)))
    }

    // MARK: - Allow list

    @Test(arguments: [
        "my page: onlyfans.com/jess",
        "https://onlyfans.com/jess",
        "https://xn--80ak6aa92e.onlyfans.com/jess",  // punycode, but under an allowed domain
        "http://cdn.onlyfans.com:8080/a",
    ])
    func allowListSuppresses(text: String) {
        #expect(Self.rules(text).isEmpty, "\(text)")
    }

    @Test func withoutAListOnlyTheShapeRulesFire() {
        let plain = LinkHeuristic()
        #expect(HeuristicTests.signals(plain, "grabify.link/abc").isEmpty)
        #expect(HeuristicTests.signals(plain, "http://45.12.9.3/").map(\.rule) == ["scam.ip_host"])
    }

    // MARK: - HTML links

    @Test func htmlLinkTargetWithIPHost() {
        let link = Link(target: "http://45.12.9.3/login", anchorText: "my page", anchorRange: 6..<13)
        let signals = HeuristicTests.signals(Self.heuristic, "visit my page", links: [link])
        #expect(signals == [Signal(rule: "scam.ip_host", category: "scam", weight: 0.4, span: 6..<13)])
    }

    @Test(arguments: [
        (Link(target: "https://x.grabify.link/a", anchorText: "cute pic"), ["links.blocklisted"]),
        (Link(target: "HTTPS://XN--PYPAL-4VE.COM/", anchorText: "paypal"), ["scam.punycode_domain"]),
        (Link(target: "https://p\u{430}ypal.com/", anchorText: "paypal"), ["scam.lookalike_domain"]),
        (Link(target: "//[2001:db8::7]/", anchorText: "here"), ["scam.ip_host"]),
        (Link(target: "https://onlyfans.com/jess", anchorText: "my page"), []),
        (Link(target: "https://\u{43F}\u{440}\u{438}\u{43C}\u{435}\u{440}.\u{440}\u{444}/", anchorText: "site"), []),
        (Link(target: "/relative/45.12.9.3/", anchorText: "here"), []),
        (Link(target: "mailto:me@grabify.link", anchorText: "mail"), []),
        // The host sits after any `user@`, before any `:port`, and ends at `/ ? # \\` or whitespace.
        (Link(target: "https://me@x.grabify.link:8080/a", anchorText: "pic"), ["links.blocklisted"]),
        (Link(target: "https://onlyfans.com@grabify.link/a", anchorText: "pic"), ["links.blocklisted"]),
        (Link(target: "https://shop.xn--pypal-4ve.com?next=1", anchorText: "shop"), ["scam.punycode_domain"]),
        (Link(target: "http://0x2d0c0903/login", anchorText: "login"), ["scam.ip_host"]),
        (Link(target: "www.grabify.link.\u{A0}more", anchorText: "pic"), ["links.blocklisted"]),
        (Link(target: "ht tp://grabify.link", anchorText: "pic"), []),
        (Link(target: "https://localhost/", anchorText: "home"), []),
    ])
    func htmlLinkTargets(link: Link, expected: [String]) {
        #expect(Self.rules("click", links: [link]) == expected, "\(link.target)")
    }

    @Test func anAnchorShowingItsOwnURLCountsOnce() {
        let text = "go http://45.12.9.3/x"
        let link = Link(target: "http://45.12.9.3/x", anchorText: "http://45.12.9.3/x", anchorRange: 3..<21)
        #expect(Self.rules(text, links: [link]) == ["scam.ip_host"])
    }

    // MARK: - Finding links

    /// The URLs the scanner finds in `text`, as written.
    static func urls(in text: String) -> [String] {
        HeuristicTests.withInput(text) { input in
            input.normalized.bytes.withUnsafeBufferPointer { bytes in
                LinkScanner(bytes: bytes, domains: domains).links(startingAt: input.shape.linkStarts).map {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.url]), as: UTF8.self)
                }
            }
        }
    }

    @Test func findsSchemeWWWAndBareLinksButNotAbbreviationsOrFileNames() {
        let text = "e.g. see file.txt, bit.ly/abc and (www.example.xyz). Also https://a.example/x?y=1, i.e. ok.so"
        #expect(Self.urls(in: text) == ["bit.ly/abc", "www.example.xyz", "https://a.example/x?y=1"])
    }

    @Test func hostileRunsOfLabelsTakeLinearTime() {
        // 100 KB of labels: looking up each parent of such a "host" would take quadratic time.
        #expect(Self.rules(String(repeating: "a.", count: 50_000) + "grabify.link").isEmpty)
        #expect(Self.rules("http://" + String(repeating: "1.", count: 50_000) + "1/").isEmpty)
        #expect(Self.rules(String(repeating: "...", count: 30_000)).isEmpty)
    }

    @Test func postsWithoutADotOrSchemeAreSkipped() {
        #expect(Self.rules("no links here at all, just words").isEmpty)
        #expect(Self.urls(in: "localhost:8080 and http://localhost/").isEmpty)
    }
}
