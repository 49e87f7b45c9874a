import Foundation
import ReviewQueue
import Testing

/// The Zendesk export: Ticket Import request bodies in batches of 100.
struct ZendeskExportTests {
    static func export(_ items: [QueueItem], redact: Bool? = nil) throws -> [[String: Any]] {
        let data = QueueExport.render(items, format: .zendesk, options: QueueExportOptions(redactPII: redact))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    static func tickets(_ requests: [[String: Any]]) -> [[String: Any]] {
        requests.flatMap { ($0["tickets"] as? [[String: Any]]) ?? [] }
    }

    static func items(_ count: Int) -> [QueueItem] {
        (0..<count).map { ExportFixtures.item(key: Int64($0 + 1), postID: "p_\($0)") }
    }

    @Test func itemsGoInRequestsOfAtMostOneHundredTickets() throws {
        let requests = try Self.export(Self.items(250))
        #expect(requests.map { ($0["tickets"] as? [Any])?.count } == [100, 100, 50])
        #expect(requests.allSatisfy { $0.keys.sorted() == ["tickets"] })
        #expect(try Self.export([]).isEmpty)
    }

    @Test func eachTicketHasTheImportFields() throws {
        let ticket = try #require(Self.tickets(try Self.export([ExportFixtures.item()])).first)
        #expect(ticket["external_id"] as? String == "tq_p_1_abc123")
        #expect(ticket["subject"] as? String == "[high] offplatform.payment — p_1")
        #expect(ticket["priority"] as? String == "high")
        #expect(ticket["status"] as? String == "new")
        #expect(ticket["created_at"] as? String == "2026-11-24T08:00:00Z")
        #expect(ticket["tags"] as? [String] == ["triage", "queue_offplatform_payment", "offplatform_payment", "spam"])
        let comments = try #require(ticket["comments"] as? [[String: Any]])
        #expect(comments.count == 1)
        #expect(comments[0]["public"] as? Bool == false)
        let body = try #require(comments[0]["body"] as? String)
        #expect(body.contains("pay me on venmo"))
        #expect(body.contains("offplatform.payment (offplatform.payment) body@7-15"))
        #expect(body.contains("Campaign: c_9 (42 posts, 17 authors)"))
    }

    @Test func theExportIsTheSameTwice() throws {
        let items = Self.items(3)
        let first = QueueExport.render(items, format: .zendesk)
        #expect(first == QueueExport.render(items, format: .zendesk))
        let ids = Self.tickets(try Self.export(items)).map { $0["external_id"] as? String }
        #expect(ids == items.map(\.externalID))
    }

    @Test(arguments: [
        ("urgent", "urgent"), ("high", "high"), ("normal", "normal"), ("low", "low"), ("whenever", "normal"),
    ])
    func priorityMapsToZendesks(queue: String, zendesk: String) throws {
        let ticket = try #require(Self.tickets(try Self.export([ExportFixtures.item(priority: queue)])).first)
        #expect(ticket["priority"] as? String == zendesk)
    }

    @Test(arguments: [
        ("open", "new"), ("escalated", "open"), ("removed", "solved"), ("approved", "solved"),
    ])
    func statusMapsToZendesks(queue: String, zendesk: String) throws {
        let decisions =
            queue == "open"
            ? [] : [QueueDecision(decision: queue, by: "alice", at: "2026-11-24T09:00:00Z", note: "checked")]
        let item = ExportFixtures.item(status: queue, decisions: decisions)
        let ticket = try #require(Self.tickets(try Self.export([item])).first)
        #expect(ticket["status"] as? String == zendesk)
        #expect((ticket["solved_at"] as? String) == (zendesk == "solved" ? "2026-11-24T09:00:00Z" : nil))
        #expect((ticket["comments"] as? [Any])?.count == decisions.count + 1)
    }

    @Test func personalDataIsRedactedByDefaultAndKeptWithNoRedact() throws {
        let hostile = ExportFixtures.hostile()
        let redacted = String(decoding: QueueExport.render([hostile], format: .zendesk), as: UTF8.self)
        #expect(!redacted.contains("jo@example.com"))
        #expect(!redacted.contains("555 0100"))
        let ticket = try #require(Self.tickets(try Self.export([hostile])).first)
        let body = try #require((ticket["comments"] as? [[String: Any]])?.first?["body"] as? String)
        #expect(body.contains("call [PHONE] or mail [EMAIL]"))
        #expect(body.contains(#"pii.email (pii) body@"#) && body.contains(#""[EMAIL]""#))

        let kept = try #require(Self.tickets(try Self.export([hostile], redact: false)).first)
        let keptBody = try #require((kept["comments"] as? [[String: Any]])?.first?["body"] as? String)
        #expect(keptBody.contains("call +1 555 0100 or mail jo@example.com"))
    }

    @Test func tagsAreLowercaseWithoutDotsOrSpaces() throws {
        let text = "Buy NOW"
        let item = ExportFixtures.item(
            text: text,
            findings: [ExportFixtures.finding("Spam.Shouting Caps", "spam", 4, 7, in: text)],
            categories: ["spam": 0.5]
        )
        let ticket = try #require(Self.tickets(try Self.export([item])).first)
        let tags = try #require(ticket["tags"] as? [String])
        #expect(tags.contains("spam_shouting_caps"))
        for tag in tags { #expect(tag.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-" }) }
    }
}
