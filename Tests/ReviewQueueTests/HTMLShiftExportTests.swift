import Foundation
import ReviewQueue
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The shift page: escaping, highlighting, masking, and markup that stays well formed.
struct HTMLShiftExportTests {
    static func page(_ items: [QueueItem], redact: Bool? = nil) -> String {
        let options = QueueExportOptions(redactPII: redact, now: ExportFixtures.now, title: "Night shift <b>")
        return String(decoding: QueueExport.render(items, format: .html, options: options), as: UTF8.self)
    }

    static func parse(_ html: String) throws -> XMLDocument {
        try XMLDocument(xmlString: html, options: [.nodePreserveWhitespace])
    }

    static func count(_ xpath: String, in document: XMLDocument) throws -> Int {
        try document.nodes(forXPath: xpath).count
    }

    /// A varied shift: a hostile post, a masked overlap, an escalated item, a link finding and an empty text.
    static func sample() -> [QueueItem] {
        let slur = "they are all ugly vermin and should leave"
        let crossing = "I will hurt you, send $50 to my venmo"
        return [
            ExportFixtures.hostile(),
            ExportFixtures.item(
                key: 2,
                postID: "p_2",
                text: slur,
                priority: "urgent",
                findings: [
                    ExportFixtures.finding("hate.dehumanising", "hate", 18, 24, in: slur, weight: 0.9),
                    ExportFixtures.finding("harassment.exclusion", "harassment", 18, 41, in: slur, weight: 0.6),
                ],
                categories: ["hate": 0.9, "harassment": 0.6]
            ),
            ExportFixtures.item(
                key: 3,
                postID: "p_3",
                text: crossing,
                priority: "normal",
                dueAt: "2026-11-24T18:00:00Z",
                status: "escalated",
                findings: [
                    ExportFixtures.finding("violence.threat", "violence", 0, 15, in: crossing, weight: 0.8),
                    ExportFixtures.finding("offplatform.payment", "offplatform.payment", 17, 37, in: crossing),
                    ExportFixtures.finding("link.shortener", "spam", 0, 12, in: crossing, field: "link"),
                ],
                categories: ["violence": 0.8, "offplatform.payment": 0.5],
                decisions: [QueueDecision(decision: "escalate", by: "bo", at: "2026-11-24T10:00:00Z", note: "threat")]
            ),
            ExportFixtures.item(
                key: 4,
                postID: "p_4",
                text: "",
                priority: "low",
                dueAt: nil,
                findings: [],
                campaign: nil
            ),
        ]
    }

    @Test func hostileTextShowsOnlyAsText() throws {
        let html = Self.page(Self.sample())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        let document = try Self.parse(html)
        #expect(try Self.count("//script | //img | //iframe | //object | //b", in: document) == 0)
        #expect(try Self.count("//title[. = 'Night shift <b>']", in: document) == 1)
        let csp = try Self.count("//meta[@http-equiv='Content-Security-Policy']", in: document)
        #expect(csp == 1)
    }

    @Test func everyItemHasACardInTheGivenOrder() throws {
        let document = try Self.parse(Self.page(Self.sample()))
        let ids = try document.nodes(forXPath: "//article/@id").map { $0.stringValue ?? "" }
        #expect(ids == ["item-7", "item-2", "item-3", "item-4"])
        #expect(try Self.count("//article[@id='item-7'][contains(@class, 'overdue')]", in: document) == 1)
        #expect(try Self.count("//article[@id='item-3'][contains(@class, 'overdue')]", in: document) == 0)
        let due = try document.nodes(forXPath: "//article/div/span[contains(@class, 'due')]").map(\.stringValue)
        #expect(
            due == [
                "overdue by 1 h · was due 2026-11-24 11:00 UTC", "overdue by 1 h · was due 2026-11-24 11:00 UTC",
                "due 2026-11-24 18:00 UTC",
            ]
        )
        let campaign = try document.nodes(forXPath: "//article[@id='item-2']//*[@class='campaign']").first
        #expect(campaign?.stringValue == "campaign c_9: 42 posts, 17 authors")
    }

    @Test func findingsAreMarkedWithRuleAndCategory() throws {
        let document = try Self.parse(Self.page(Self.sample()))
        let marks = try document.nodes(forXPath: "//article[@id='item-3']//div[@class='text']//mark")
        let titled = marks.map { ($0.stringValue ?? "", ($0 as? XMLElement)?.attribute(forName: "title")?.stringValue) }
        #expect(titled.map(\.0) == ["I will hurt you", "send $50 to my venmo"])
        #expect(titled.map(\.1) == ["violence.threat (violence)", "offplatform.payment (offplatform.payment)"])
        // The two hate and harassment spans overlap: one mark names both, and nothing nests.
        let overlap = try document.nodes(forXPath: "//article[@id='item-2']//mark[@class='overlap']")
        #expect(overlap.first?.stringValue == "vermin")
        #expect(try Self.count("//mark//mark", in: document) == 0)
    }

    @Test func maskedCategoriesAreInsideTheToggle() throws {
        let document = try Self.parse(Self.page(Self.sample()))
        // Every mark naming a masked category, in the text or the findings list, sits in a toggle.
        let masked = "contains(@title, '(hate)') or contains(@title, '(violence)') or contains(@title, '(harassment)')"
        #expect(try Self.count("//mark[\(masked)]", in: document) > 0)
        #expect(try Self.count("//mark[\(masked)][not(ancestor::label[@class='mask'])]", in: document) == 0)
        #expect(try Self.count("//mark[contains(@title, '(offplatform')][ancestor::label]", in: document) == 0)
        // The crossing hate and harassment spans share one toggle.
        #expect(try Self.count("//article[@id='item-2']//div[@class='text']/label", in: document) == 1)
        let excerpts = try document.nodes(forXPath: "//ul[@class='findings']/li[code='hate.dehumanising']//q")
        #expect(excerpts.count == 1)
        #expect(try Self.count("//ul[@class='findings']//q[not(ancestor::label)][. = 'vermin']", in: document) == 0)
        // Each toggle is a checkbox before the masked content, named by its category.
        for label in try document.nodes(forXPath: "//label[@class='mask']") {
            let element = try #require(label as? XMLElement)
            #expect(element.elements(forName: "input").first?.attribute(forName: "type")?.stringValue == "checkbox")
            let hint = element.elements(forName: "span").first?.attribute(forName: "data-hint")?.stringValue ?? ""
            #expect(hint.hasSuffix(" · show"))
        }
    }

    @Test func personalDataStaysOnTheModeratorsPageUnlessRedacted() throws {
        #expect(Self.page([ExportFixtures.hostile()]).contains("jo@example.com"))
        let redacted = Self.page([ExportFixtures.hostile()], redact: true)
        #expect(!redacted.contains("jo@example.com"))
        let document = try Self.parse(redacted)
        let marks = try document.nodes(forXPath: "//div[@class='text']//mark[@title='pii.email (pii)']")
        #expect(marks.map(\.stringValue) == ["[EMAIL]"])
    }

    @Test func anEmptyQueueIsAPageToo() throws {
        let document = try Self.parse(Self.page([]))
        #expect(try Self.count("//p[@class='empty']", in: document) == 1)
    }

    // MARK: - In a browser

    /// Chromium on `PATH`, if there is one (CI may not have it).
    static let chromium: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }()

    @Test(.enabled(if: chromium != nil, "needs chromium on PATH"), .timeLimit(.minutes(1)))
    func aBrowserRendersNoElementFromContent() throws {
        let chromium = try #require(Self.chromium)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("shift.html")
        try Data(Self.page(Self.sample()).utf8).write(to: page)

        let process = Process()
        process.executableURL = chromium
        // --no-sandbox: the sandbox refuses to start as root, which is how containers and CI usually run.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--dump-dom", page.absoluteString,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(dom.contains("<title>Night shift &lt;b&gt;</title>"))
        #expect(dom.contains(#"<article class="item overdue" id="item-7">"#))
        #expect(!dom.contains("<script"))
        #expect(!dom.contains("<img"))
        // The hate span covers `<script>`, so the tag and the rest of it are in different elements.
        #expect(dom.contains("&lt;script&gt;</mark>"))
        #expect(dom.contains("alert(1)&lt;/script&gt;"))
    }

    /// Writes the sample shift page to `$SHIFT_SAMPLE`, to look at in a browser
    /// (`scripts/report-screenshot.sh`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SHIFT_SAMPLE"] != nil))
    func writeSampleShiftPage() throws {
        let path = try #require(ProcessInfo.processInfo.environment["SHIFT_SAMPLE"])
        try Data(Self.page(Self.sample()).utf8).write(to: URL(fileURLWithPath: path))
    }
}
