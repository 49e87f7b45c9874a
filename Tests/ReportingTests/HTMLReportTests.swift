import Foundation
import Moderation
import Reporting
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML report: charts, escaping, highlighting, and markup that stays well formed.
struct HTMLReportTests {
    /// The page parsed as XML: the report is written to be well-formed XHTML, so a broken tag fails here.
    static func parse(_ html: String) throws -> XMLDocument {
        try XMLDocument(xmlString: html, options: [.nodePreserveWhitespace])
    }

    /// Each `<mark>` of the page: its text and its title.
    static func marks(in document: XMLDocument) throws -> [(text: String, title: String)] {
        try document.nodes(forXPath: "//mark").map {
            ($0.stringValue ?? "", ($0 as? XMLElement)?.attribute(forName: "title")?.stringValue ?? "")
        }
    }

    /// A summary whose only review item is `text` with `findings`.
    static func summary(reviewing text: String, findings: [Finding]) -> ScanSummary {
        var summary = ScanSummary()
        var record = Fixtures.record(text, line: 1, action: .review, score: 0.7)
        record.findings = findings
        summary.add(record: record)
        return summary
    }

    static func span(_ rule: String, _ start: Int, _ end: Int, field: Field = .body) -> Finding {
        Finding(
            rule: rule,
            category: String(rule.prefix { $0 != "." }),
            weight: 0.5,
            field: field,
            start: start,
            end: end,
            excerpt: "",
            source: "lexicons/test.yml:1"
        )
    }

    // MARK: - Charts

    @Test func oneLabelledChartForActionsAndOneForCategories() throws {
        var summary = ScanSummary()
        summary.actions = ActionCounts(allow: 1_199, review: 341, block: 57)
        summary.errors = 3
        summary.categories = ["scam": 90, "spam": 200, "offplatform.payment": 120]
        let html = HTMLReport.render(summary)

        let charts = html.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(charts.count == 2)
        let actions = try #require(charts.first)
        #expect(actions.contains(#"<title id="chart-actions-title">Records by action</title>"#))
        let actionBars = [
            ("allow", "1,199 (74.9%)"), ("review", "341 (21.3%)"), ("block", "57 (3.6%)"), ("errors", "3 (0.2%)"),
        ]
        var searchFrom = actions.startIndex
        for (label, value) in actionBars {
            // In order: label, then its bar, then its number.
            let labelAt = try #require(actions.range(of: ">\(label)</text>", range: searchFrom..<actions.endIndex))
            let valueAt = try #require(
                actions.range(of: ">\(value)</text>", range: labelAt.upperBound..<actions.endIndex)
            )
            #expect(actions[labelAt.upperBound..<valueAt.lowerBound].contains("<rect"))
            #expect(actions.contains("<title>\(label): \(value)</title>"))
            searchFrom = valueAt.upperBound
        }
        let categories = try #require(charts.last)
        #expect(categories.contains(#"<title id="chart-categories-title">Posts by category</title>"#))
        let order = ["spam", "offplatform.payment", "scam"].map { categories.range(of: ">\($0)</text>")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap(\.self) == order.compactMap(\.self).sorted())
        #expect(categories.contains(">200 (12.5%)</text>"))
        #expect(categories.contains(">120 (7.5%)</text>"))
        #expect(categories.contains(">90 (5.6%)</text>"))

        let document = try Self.parse(html)
        let svgs = try document.nodes(forXPath: "//*[local-name()='svg']")
        #expect(svgs.count == 2)
        #expect(try document.nodes(forXPath: "(//*[local-name()='svg'])[1]//*[local-name()='rect']").count == 4)
    }

    // MARK: - Escaping

    @Test func contentFromTheDataIsOnlyEverEscaped() throws {
        let hostile = #"<script>alert(1)</script> "onerror=alert(2) 'x' & co"#
        var summary = ScanSummary(policyHash: hostile, engineVersion: hostile, startedAt: hostile)
        summary.finishedAt = hostile
        var record = Fixtures.record(
            "Look \(hostile)",
            file: "\(hostile).jsonl",
            line: 1,
            action: .review,
            findings: [("<script>alert(1)</script>", "rule\(hostile)", "category\(hostile)")],
            campaign: CampaignInfo(id: hostile, size: 3, authors: 2)
        )
        record.id = hostile
        summary.add(record: record)
        summary.categories[hostile] = 1
        summary.authorRoles[hostile] = 1
        summary.surfaces[hostile] = 1
        summary.addSkipped(path: hostile, reason: hostile)
        let html = HTMLReport.render(summary)

        #expect(!html.localizedCaseInsensitiveContains("<script"))
        #expect(!html.contains(#""onerror="#))
        #expect(!html.contains("'x'"))
        #expect(!html.contains("& co"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;onerror=alert(2) &#39;x&#39; &amp; co"))
        _ = try Self.parse(html)  // an attribute broken out of would not parse
    }

    @Test func invisibleCharactersAreShownByTheirCode() throws {
        let html = HTMLReport.render(
            Self.summary(reviewing: "pay\u{202E}ppahsac\u{202C} me\u{0} now\u{200B}", findings: [])
        )
        #expect(html.contains(#"pay<span class="cp">U+202E</span>ppahsac<span class="cp">U+202C</span> me"#))
        #expect(html.contains(#"<span class="cp">U+0000</span> now<span class="cp">U+200B</span>"#))
        #expect(!html.unicodeScalars.contains("\u{202E}"))
        _ = try Self.parse(html)  // U+0000 would not be allowed in XML
    }

    // MARK: - Highlighting

    @Test(arguments: [
        ("Café 👩🏽‍💻 naïve — send it to my cashapp ✨ now", "cashapp"),
        ("Cafe\u{301} au lait 😘🔥 then cashapp", "cashapp"),  // é as e + combining accent: two code points
        ("Café 👩🏽‍💻 naïve", "👩🏽‍💻"),  // a span that is one character of four code points
        ("ça va? Ça va!", "Ça va"),
    ])
    func highlightMarksExactlyTheSpanAfterNonASCIIText(text: String, term: String) throws {
        let finding = Fixtures.finding(term, in: text, rule: "test.rule", category: "test")
        let html = HTMLReport.render(Self.summary(reviewing: text, findings: [finding]))
        #expect(html.contains(#"<mark title="test.rule (test)">\#(term)</mark>"#))
        let document = try Self.parse(html)
        #expect(try Self.marks(in: document).map(\.text) == [term])
        let shown = try document.nodes(forXPath: "//div[@class='text']").first?.stringValue
        #expect(shown == text)
    }

    @Test func overlappingAndAdjacentSpansStayWellFormed() throws {
        let text = "free money now, click here!!"
        let findings = [
            Self.span("spam.free_money", 0, 10),
            Self.span("spam.money_now", 5, 14),
            Self.span("scam.click", 16, 21),
            Self.span("scam.click_here", 16, 26),  // same start, nested
            Self.span("spam.bang", 26, 28),  // adjacent
            Self.span("spam.bang", 26, 28),  // the same span twice
            Self.span("spam.link", 0, 5, field: .link),  // into a link, not this text
            Self.span("spam.empty", 3, 3),
            Self.span("spam.past_the_end", 40, 50),
        ]
        let html = HTMLReport.render(Self.summary(reviewing: text, findings: findings))
        let document = try Self.parse(html)
        let marks = try Self.marks(in: document)
        #expect(marks.map(\.text) == ["free ", "money", " now", "click", " here", "!!"])
        #expect(
            marks.map(\.title) == [
                "spam.free_money (spam)", "spam.free_money (spam); spam.money_now (spam)", "spam.money_now (spam)",
                "scam.click (scam); scam.click_here (scam)", "scam.click_here (scam)", "spam.bang (spam)",
            ]
        )
        #expect(html.components(separatedBy: #"<mark class="overlap""#).count - 1 == 3)
        #expect(try document.nodes(forXPath: "//div[@class='text']").first?.stringValue == text)
    }

    @Test func spansPastTheTextAreClamped() throws {
        let html = HTMLReport.render(Self.summary(reviewing: "abc def", findings: [Self.span("x.tail", 4, 99)]))
        #expect(try Self.marks(in: Self.parse(html)).map(\.text) == ["def"])
    }

    // MARK: - Whole pages

    @Test func emptySummaryRenders() throws {
        let html = HTMLReport.render(ScanSummary())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Nothing was sent to review."))
        #expect(html.components(separatedBy: "<svg").count == 2)  // the actions chart, with empty bars
        _ = try Self.parse(html)
    }

    @Test func realisticSummaryRendersEverySection() throws {
        let html = HTMLReport.render(Fixtures.weekSummary())
        for heading in ["Actions", "Categories", "Author roles", "Surfaces", "Top rules", "Top campaigns", "Files"] {
            #expect(html.contains("<h2>\(heading)</h2>"))
        }
        #expect(html.contains("<h2>Review sample</h2>") && html.contains("<h2>Skipped files</h2>"))
        #expect(html.contains("sha256:9f2c4e1b"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 3)  // only SVG's xmlns
        _ = try Self.parse(html)
    }

    /// Writes the realistic report to `$REPORT_SAMPLE`, for `scripts/report-screenshot.sh`; skipped otherwise.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["REPORT_SAMPLE"] != nil))
    func writeSampleReport() throws {
        let path = try #require(ProcessInfo.processInfo.environment["REPORT_SAMPLE"])
        try HTMLReport.render(Fixtures.weekSummary()).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
