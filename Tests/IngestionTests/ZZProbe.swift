import Testing
import Moderation
@testable import Ingestion

struct ZZProbe {
    @Test(arguments: [100, 255, 256, 257, 300, 1000, 10000])
    func deep(n: Int) {
        let html = String(repeating: "<div>", count: n) + "deep text" + String(repeating: "</div>", count: n)
        do {
            let parsed = try Ingestor(maxHTMLDepth: 256).parse(html, format: .html)
            print("PROBE \(n): text \(parsed.text.debugDescription.prefix(80))")
        } catch {
            print("PROBE \(n): error \(error)")
        }
        let spans = String(repeating: "<span>", count: n) + "deep text" + String(repeating: "</span>", count: n)
        do {
            let parsed = try Ingestor(maxHTMLDepth: 256).parse(spans, format: .html)
            print("PROBE span \(n): text \(parsed.text.debugDescription.prefix(80))")
        } catch {
            print("PROBE span \(n): error \(error)")
        }
    }
    @Test func misc() throws {
        for html in ["<p>a</p><p>b</p>", "<p>a</p>b", "<div>a</div>b", "<p>a</p><span>b</span>", " ", "just text", "<p></p>", "x<p>a</p>", "<div><p>a</p></div><span>b</span>", "<p>a &amp; b &mdash; c &lt;3 &#10084;&#65039; &nbsp;x</p>", "<p>Love this!!</p><span style=\"display:none\">pay me directly</span>", "hello <b>world</b>", "<ul><li>one</li><li>two</li></ul>after", "a<br>b<br/>c", "<!-- secret --><p>x</p>", "<p>x <img alt=\"free stuff\" src=x> y</p>", "<a href=\"https://t.me/x\">  join   <b>now</b> </a>", "<html><head><title>T</title></head><body><p>hi</p></body></html>", "<p>a</p>\n\n<p>b</p>"] {
            guard let p = try? Ingestor().parse(html, format: .html) else { print("PROBE \(html.debugDescription) -> ERROR"); continue }
            print("PROBE \(html.debugDescription) -> \(p.text.debugDescription) links \(p.links) hidden \(p.hiddenRanges)")
        }
    }
}
