import Foundation
import ReviewQueue
import Testing

/// The CSV export: RFC 4180 that parses back, and no formulas from post text.
struct CSVExportTests {
    /// Parses RFC 4180 CSV (quoted fields with doubled quotes and line breaks, CRLF records) into rows.
    static func parse(_ csv: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var scalars = Array(csv.unicodeScalars)[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        while let scalar = scalars.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars = scalars.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",":
                row.append(field)
                field = ""
            case "\r" where scalars.first == "\n":
                scalars = scalars.dropFirst()
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !row.isEmpty || !field.isEmpty { rows.append(row + [field]) }
        return rows
    }

    static func export(_ items: [QueueItem], redact: Bool? = nil) -> String {
        let data = QueueExport.render(
            items,
            format: .csv,
            options: QueueExportOptions(redactPII: redact, now: ExportFixtures.now)
        )
        return String(decoding: data, as: UTF8.self)
    }

    @Test func rowsParseBackWithTheirColumns() throws {
        let items = [
            ExportFixtures.item(key: 1), ExportFixtures.item(key: 2, postID: "p_2", dueAt: nil, campaign: nil),
        ]
        let csv = Self.export(items)
        #expect(csv.hasPrefix("\u{FEFF}key,external_id,post_id,"))
        #expect(csv.hasSuffix("\r\n"))
        let rows = Self.parse(csv)
        try #require(rows.count == 3)
        let header = rows[0]
        #expect(rows.allSatisfy { $0.count == header.count })
        let first = Dictionary(uniqueKeysWithValues: zip(header, rows[1]))
        #expect(first["key"] == "1")
        #expect(first["post_id"] == "p_1")
        #expect(first["overdue"] == "yes")
        #expect(first["categories"] == "offplatform.payment 0.91; spam 0.2")
        #expect(first["rules"] == "offplatform.payment")
        #expect(first["campaign_id"] == "c_9")
        #expect(first["campaign_size"] == "42")
        #expect(first["source"] == "posts/2026-11-24.jsonl:1")
        #expect(first["text"] == "pay me on venmo")
        #expect(first["findings"] == #"offplatform.payment (offplatform.payment) body@7-15 "on venmo""#)
        let second = Dictionary(uniqueKeysWithValues: zip(header, rows[2]))
        #expect(second["overdue"] == "no")
        #expect(second["due_at"] == "")
        #expect(second["campaign_id"] == "")
    }

    @Test func quotesCommasAndLineBreaksSurviveTheRoundTrip() throws {
        let text = "a \"quoted\", comma\r\nand\nbreaks"
        let item = ExportFixtures.item(text: text, findings: [])
        let csv = Self.export([item])
        #expect(csv.contains(#""a ""quoted"", comma"#))
        let rows = Self.parse(csv)
        try #require(rows.count == 2)
        let text0 = try #require(rows[0].firstIndex(of: "text"))
        #expect(rows[1][text0] == text)
    }

    @Test(arguments: ["=", "+", "-", "@", "\t", "\r"])
    func formulaInjectionIsNeutralised(lead: String) throws {
        let text = lead + "HYPERLINK(\"http://evil\",\"click\")"
        let item = ExportFixtures.item(postID: lead + "1+1", text: text, findings: [])
        let rows = Self.parse(Self.export([item]))
        try #require(rows.count == 2)
        let cells = Dictionary(uniqueKeysWithValues: zip(rows[0], rows[1]))
        #expect(cells["text"] == "'" + text)
        #expect(cells["post_id"] == "'" + lead + "1+1")
        for cell in rows[1] {
            #expect(!(cell.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false))
        }
    }

    @Test func personalDataIsRedactedByDefaultAndKeptOnRequest() throws {
        let hostile = ExportFixtures.hostile()
        let redacted = Self.export([hostile])
        #expect(!redacted.contains("jo@example.com"))
        #expect(!redacted.contains("555 0100"))
        #expect(redacted.contains("[EMAIL]") && redacted.contains("[PHONE]"))
        let kept = Self.export([hostile], redact: false)
        #expect(kept.contains("jo@example.com"))
    }
}
