import Moderation
import Testing

@testable import Ingestion

struct HTMLTests {
    static func parse(_ html: String, ingestor: Ingestor = Ingestor()) throws(IngestionError) -> ParsedBody {
        try ingestor.parse(html, format: .html)
    }

    /// The code points `range` covers in `text`.
    static func slice(_ text: String, _ range: Range<Int>) -> String {
        let scalars = Array(text.unicodeScalars)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range.clamped(to: 0..<scalars.count)])
        return String(view)
    }

    @Test func plainTextPassesThroughAsBody() throws {
        let body = "  <b>not parsed</b> &amp; kept  "
        let parsed = try Ingestor().parse(body, format: .text)
        #expect(parsed.text == body)
        #expect(parsed.field == .body)
        #expect(parsed.links.isEmpty)
        #expect(parsed.hiddenRanges.isEmpty)
    }

    @Test(arguments: [
        ("hello <b>world</b>", "hello world"),
        ("just text", "just text"),
        // Script, style, head and comments are not visible text.
        (#"<p>Great photos</p><script>document.location="https://evil.example/login"</script>"#, "Great photos"),
        ("<p>before</p><style>p{color:red}</style><p>after</p>", "before\nafter"),
        ("<!-- secret cashapp --><p>x</p>", "x"),
        ("<html><head><title>Title</title></head><body><p>hi</p></body></html>", "hi"),
        ("<p>a<noscript>nojs</noscript>b</p>", "ab"),
        // Entities, named and numeric.
        ("<p>a &amp; b &mdash; c &lt;3 &#10084;&#65039; &#x263A;</p>", "a & b — c <3 ❤️ ☺"),
        ("<p>caf&eacute;&nbsp;time</p>", "café time"),
        // Block elements become line breaks; whitespace runs collapse to one space.
        ("<p>a</p><p>b</p>", "a\nb"),
        ("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\nafter"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<div><h2>Tip menu</h2><ul><li>Custom video</li></ul></div>", "Tip menu\nCustom video"),
        ("<p>a</p>\n\n   <p>b</p>", "a\nb"),
        ("<p>  lots \n\t of   space  </p>", "lots of space"),
        ("<table><tr><td>x</td><td>y</td></tr></table>", "x\ny"),
        // Image alt text is kept, with spaces around it.
        (#"<p>Check this <img src="x.png" alt="free premium content">out</p>"#, "Check this free premium content out"),
        (#"<p><img src="x.png"></p>"#, ""),
        (" ", ""),
    ])
    func visibleText(html: String, expected: String) throws {
        let parsed = try Self.parse(html)
        #expect(parsed.text == expected)
        #expect(parsed.field == .text)
    }

    @Test func linksAreCollectedWithTheirAnchorText() throws {
        let parsed = try Self.parse(
            #"<p>New set! <a href="https://example.com/sets/beach">See the   <b>beach</b> set</a> and "#
                + #"<a href="https://t.me/lolavip"> join </a> <a name="anchor">no href</a> <a href="">empty</a></p>"#
        )
        #expect(
            parsed.links == [
                Link(target: "https://example.com/sets/beach", anchorText: "See the beach set", anchorRange: 9..<26),
                Link(target: "https://t.me/lolavip", anchorText: "join", anchorRange: 31..<35),
                Link(target: "", anchorText: "empty", anchorRange: 44..<49),
            ]
        )
        #expect(parsed.text == "New set! See the beach set and join no href empty")
        let scalars = Array(parsed.text.unicodeScalars)
        for link in parsed.links {
            #expect(String(String.UnicodeScalarView(scalars[link.anchorRange])) == link.anchorText)
        }
    }

    @Test func linkTargetsKeepEntitiesDecoded() throws {
        let parsed = try Self.parse(#"<a href="https://example.com/?a=1&amp;b=2">go</a>"#)
        #expect(parsed.links == [Link(target: "https://example.com/?a=1&b=2", anchorText: "go", anchorRange: 0..<2)])
    }

    @Test(arguments: [
        (
            #"<p>Love this!!</p><div style="display:none">pay me directly on cashapp</div>"#,
            ["pay me directly on cashapp"]
        ),
        (#"<p>hidden <span style="font-size:0">telegram me</span> text</p>"#, ["telegram me"]),
        (#"<p>a <span style="DISPLAY: NONE">one</span> b <span hidden>two</span> c</p>"#, ["one", "two"]),
        (#"<p>a <span style="visibility:hidden">ghost</span> b</p>"#, ["ghost"]),
        (#"<p>a <span style="opacity:0">faded</span> b</p>"#, ["faded"]),
        // Nested hidden elements are one range.
        (
            #"<p>x <span style="display:none">outer <b style="display:none">inner</b> end</span> y</p>"#,
            ["outer inner end"]
        ),
        (#"<p>a <span style="opacity:0.5">half</span> b <span style="display:block">shown</span></p>"#, []),
    ])
    func hiddenTextIsKeptAndItsRangeReported(html: String, hidden: [String]) throws {
        let parsed = try Self.parse(html)
        #expect(parsed.hiddenRanges.map { Self.slice(parsed.text, $0) } == hidden)
        for text in hidden { #expect(parsed.text.contains(text)) }
    }

    @Test func hiddenRangesAreCodePointsNotBytes() throws {
        let parsed = try Self.parse(#"<p>café ❤️ 😀 <span style="display:none">ｃａｓｈ app</span></p>"#)
        let range = try #require(parsed.hiddenRanges.first)
        #expect(range == 10..<18)
        #expect(Self.slice(parsed.text, range) == "ｃａｓｈ app")
    }

    // MARK: - Hostile input

    @Test func nestingUpToTheLimitIsRead() throws {
        // 250 levels plus the <html> and <body> libxml2 implies.
        let html = String(repeating: "<div>", count: 250) + "deep text" + String(repeating: "</div>", count: 250)
        #expect(try Self.parse(html, ingestor: Ingestor(maxHTMLDepth: 256)).text == "deep text")
    }

    @Test func nestingPastTheLimitIsRefused() {
        let html = String(repeating: "<div>", count: 257) + "deep text" + String(repeating: "</div>", count: 257)
        #expect(throws: IngestionError.htmlTooDeep(limit: 256)) {
            try Self.parse(html, ingestor: Ingestor(maxHTMLDepth: 256))
        }
        #expect(throws: IngestionError.htmlTooDeep(limit: 10)) {
            try Self.parse(String(repeating: "<span>", count: 20) + "x", ingestor: Ingestor(maxHTMLDepth: 10))
        }
    }

    /// libxml2 2.9 stops building the tree at depth 256 by itself (no XML_PARSE_HUGE) and keeps what it had:
    /// the text past that point would be lost without a word, so it must be the depth error, whatever the
    /// walker's own limit.
    @Test(arguments: [300, 10_000])
    func veryDeepNestingIsRefusedNotSilentlyTruncated(depth: Int) {
        let html = String(repeating: "<div>", count: depth) + "deep text" + String(repeating: "</div>", count: depth)
        #expect(throws: IngestionError.htmlTooDeep(limit: 256)) { try Self.parse(html) }
    }

    // MARK: - Regressions

    @Test(arguments: ["style", "script", "template", "noscript", "iframe"])
    func leadingSkippedElementDoesNotHideTheRest(element: String) throws {
        let parsed = try Self.parse("<\(element)>x</\(element)><p>send it to my cashapp</p>")
        #expect(parsed.text == "send it to my cashapp")
    }

    @Test func blocksStayApartFromFollowingInlineText() throws {
        #expect(try Self.parse("<p>I love</p><span>cashapp</span>").text == "I love\ncashapp")
    }

    @Test func visibleTextAfterHiddenElementIsNotHidden() throws {
        let parsed = try Self.parse(#"<span style="display:none">x</span> all of this is visible"#)
        #expect(parsed.hiddenRanges.map { Self.slice(parsed.text, $0) } == ["x"])
    }

    @Test(arguments: ["", " ", "\n\t"])
    func emptyHTMLBodyHasNoText(html: String) throws {
        #expect(try Self.parse(html).text == "")
    }

    @Test func titleTextIsRead() throws {
        #expect(try Self.parse(#"<p>hi <span title="cashapp me">there</span></p>"#).text == "hi cashapp me there")
    }

    @Test(arguments: [
        (#"<span style="color:#fff;background-color:#fff">venmo</span> ok"#, ["venmo"]),
        (#"<span style="color: red; background: red">venmo</span> ok"#, ["venmo"]),
        (#"<span style="color:#000;background-color:#fff">venmo</span> ok"#, []),
        (#"<span style="opacity:0">venmo</span> ok"#, ["venmo"]),
    ])
    func textInItsBackgroundColourIsHidden(html: String, hidden: [String]) throws {
        let parsed = try Self.parse(html)
        #expect(parsed.hiddenRanges.map { Self.slice(parsed.text, $0) } == hidden)
    }

    @Test func tooManyNodesAreRefused() {
        let html = String(repeating: "<b>x</b>", count: 60)
        #expect(throws: IngestionError.htmlTooLarge(limit: 100)) {
            try Self.parse(html, ingestor: Ingestor(maxHTMLNodes: 100))
        }
        #expect(throws: Never.self) {
            try Self.parse(html, ingestor: Ingestor(maxHTMLNodes: 200))
        }
    }

    @Test(arguments: ["<p>unclosed <b>bold <i>both", "</div></p>stray closers", "<<<>>> & &bogus; <p"])
    func brokenHTMLIsReadForgivingly(html: String) throws {
        let parsed = try Self.parse(html)
        #expect(!parsed.text.isEmpty)
    }

    @Test func errorDescriptionsAreOneLine() {
        #expect(IngestionError.htmlTooDeep(limit: 256).description == "HTML nests deeper than 256 elements")
        #expect(IngestionError.htmlTooLarge(limit: 5).description == "HTML has more than 5 nodes")
        #expect(IngestionError.unparsableHTML.description == "HTML body could not be parsed")
    }
}
