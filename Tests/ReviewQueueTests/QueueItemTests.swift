import Foundation
import ReviewQueue
import Testing

struct QueueItemTests {
    static func item(status: String, dueAt: String?) -> QueueItem {
        QueueItem(
            key: 1,
            externalID: "x",
            postID: "p",
            text: "t",
            action: "review",
            queue: "scam",
            priority: "high",
            dueAt: dueAt,
            score: 0.5,
            categories: ["scam": 0.5],
            findings: [],
            campaign: nil,
            policy: "sha256:0",
            sourceFile: nil,
            sourceLine: nil,
            authorRole: nil,
            surface: nil,
            importedAt: "2026-11-24T00:00:00Z",
            status: status,
            decisions: []
        )
    }

    @Test func openItemsPastTheirDeadlineAreOverdue() {
        let now = ISO8601DateFormatter().date(from: "2026-11-24T12:00:00Z")!
        #expect(Self.item(status: "open", dueAt: "2026-11-24T11:00:00Z").isOverdue(at: now))
        #expect(!Self.item(status: "open", dueAt: "2026-11-24T13:00:00Z").isOverdue(at: now))
        #expect(!Self.item(status: "removed", dueAt: "2026-11-24T11:00:00Z").isOverdue(at: now))
        #expect(!Self.item(status: "open", dueAt: nil).isOverdue(at: now))
    }
}
