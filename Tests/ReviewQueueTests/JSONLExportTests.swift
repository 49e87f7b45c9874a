import Foundation
import ReviewQueue
import Testing

/// The JSONL export: a JSON object per line with every field, snake_case keys, stable order.
struct JSONLExportTests {
    /// A decoder for the export's keys: snake_case, with `_id` back to `ID` (`external_id` → `externalID`).
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path.last!.stringValue  // a decoder never calls this with an empty path
            var parts = key.split(separator: "_").map(String.init)
            for index in parts.indices.dropFirst() {
                parts[index] =
                    parts[index] == "id" ? "ID" : parts[index].prefix(1).uppercased() + parts[index].dropFirst()
            }
            return AnyKey(parts.joined())
        }
        return decoder
    }()

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func lines(_ items: [QueueItem], redact: Bool? = nil) -> [String] {
        let data = QueueExport.render(items, format: .jsonl, options: QueueExportOptions(redactPII: redact))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func everyLineRoundTripsToTheItem() throws {
        let items = [
            ExportFixtures.hostile(),
            ExportFixtures.item(
                key: 2,
                postID: "p_2",
                dueAt: nil,
                status: "removed",
                campaign: nil,
                decisions: [
                    QueueDecision(decision: "remove", by: "alice", at: "2026-11-24T09:00:00Z", note: "scam")
                ]
            ),
        ]
        let lines = Self.lines(items)
        #expect(lines.count == 2)
        for (line, item) in zip(lines, items) {
            #expect(try Self.decoder.decode(QueueItem.self, from: Data(line.utf8)) == item)
        }
    }

    @Test func keysAreSnakeCaseSortedAndAlwaysPresent() throws {
        let lines = Self.lines([ExportFixtures.item(dueAt: nil, campaign: nil)])
        let line = try #require(lines.first)
        #expect(line.hasPrefix(#"{"action":"review","author_role":"fan","campaign":null,"categories":"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "key", "external_id", "post_id", "text", "action", "queue", "priority", "due_at", "score",
                "categories", "findings", "campaign", "policy", "source_file", "source_line", "author_role",
                "surface", "imported_at", "status", "decisions",
            ]
        )
        #expect(object["due_at"] is NSNull)
    }

    @Test func theArchiveKeepsPersonalDataUnlessAsked() throws {
        #expect(Self.lines([ExportFixtures.hostile()])[0].contains("jo@example.com"))
        let redacted = try #require(Self.lines([ExportFixtures.hostile()], redact: true).first)
        #expect(!redacted.contains("jo@example.com"))
        let item = try Self.decoder.decode(QueueItem.self, from: Data(redacted.utf8))
        let email = try #require(item.findings.first { $0.rule == "pii.email" })
        let scalars = Array(item.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[email.start..<email.end])) == "[EMAIL]")
        #expect(email.excerpt == "[EMAIL]")
    }
}
