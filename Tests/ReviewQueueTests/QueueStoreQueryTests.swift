import Foundation
import ReviewQueue
import Testing

struct QueueStoreQueryTests {
    /// Five items: p1 normal, p2 urgent due last, p3 high (spam, some offplatform), p4 high due first (piracy),
    /// p5 low spam in campaign c1.
    static func makeQueue() throws -> TemporaryQueue {
        let queue = try TemporaryQueue()
        try queue.add([
            VerdictFixtures.line(id: "p1", priority: "normal", dueAt: "2026-11-25T12:00:00Z"),
            VerdictFixtures.line(id: "p2", priority: "urgent", dueAt: "2026-11-26T12:00:00Z"),
            VerdictFixtures.line(
                id: "p3",
                queue: "spam",
                priority: "high",
                dueAt: "2026-11-24T16:00:00Z",
                categories: ["spam": 0.9, "offplatform.payment": 0.3]
            ),
            VerdictFixtures.line(id: "p4", queue: "piracy", priority: "high", dueAt: "2026-11-24T13:00:00Z"),
            VerdictFixtures.line(id: "p5", queue: "spam", priority: "low", campaign: "c1"),
        ])
        return queue
    }

    @Test func listsByPriorityThenDeadlineThenKey() throws {
        let queue = try Self.makeQueue()
        #expect(try queue.store.list(filter: .all).map(\.postID) == ["p2", "p4", "p3", "p1", "p5"])
        #expect(try queue.store.list(filter: .all, limit: 2).map(\.postID) == ["p2", "p4"])
        try queue.add([VerdictFixtures.line(id: "p6", priority: "urgent", dueAt: "2026-11-26T12:00:00Z")])
        #expect(try queue.store.list(filter: .all, limit: 2).map(\.postID) == ["p2", "p6"])
    }

    @Test(arguments: [
        (QueueFilter(category: "offplatform"), ["p2", "p3", "p1"]),  // p3 by its offplatform.payment score
        (QueueFilter(category: "offplatform.payment"), ["p2", "p3", "p1"]),
        (QueueFilter(category: "offplat"), []),
        (QueueFilter(category: "spam"), ["p3", "p5"]),
        (QueueFilter(priority: .high), ["p4", "p3"]),
        (QueueFilter(campaignID: "c1"), ["p5"]),
        (QueueFilter(status: .removed), []),
        (QueueFilter(overdueAt: VerdictFixtures.at(hours: 2)), ["p4"]),
        (QueueFilter(overdueAt: VerdictFixtures.at(hours: 30)), ["p4", "p3", "p1", "p5"]),
        (QueueFilter(category: "spam", priority: .low), ["p5"]),
    ])
    func filters(filter: QueueFilter, expected: [String]) throws {
        let queue = try Self.makeQueue()
        #expect(try queue.store.list(filter: filter).map(\.postID) == expected)
    }

    @Test func decidedItemsAreNotOverdueAndLeaveTheOpenList() throws {
        let queue = try Self.makeQueue()
        let p4 = try #require(try queue.store.list(filter: .all).first { $0.postID == "p4" })
        try queue.store.decide(key: p4.key, decision: .approve, by: "ana", now: VerdictFixtures.base)
        #expect(try queue.store.list(filter: QueueFilter(overdueAt: VerdictFixtures.at(hours: 2))).isEmpty)
        #expect(try !queue.store.list(filter: QueueFilter()).map(\.postID).contains("p4"))
        #expect(try queue.store.list(filter: QueueFilter(status: .approved)).map(\.postID) == ["p4"])
    }

    @Test func campaignsFoldIntoOneGroup() throws {
        let queue = try TemporaryQueue()
        try queue.add([
            VerdictFixtures.line(id: "a", priority: "low", campaign: "c1"),
            VerdictFixtures.line(id: "b", priority: "high", campaign: "c1"),
            VerdictFixtures.line(id: "c", priority: "normal"),
            VerdictFixtures.line(id: "d", priority: "low", campaign: "c1"),
        ])
        let groups = try queue.store.listGroups(filter: QueueFilter())
        #expect(groups.map(\.campaignID) == ["c1", nil])
        #expect(groups.map(\.count) == [3, 1])
        #expect(groups.first?.priority == "high")
        #expect(groups.first?.representative.postID == "b")
        #expect(try queue.store.members(ofCampaign: "c1").map(\.postID) == ["b", "a", "d"])
    }

    @Test func anItemComesWithItsDecisions() throws {
        let queue = try Self.makeQueue()
        let key = try #require(try queue.store.list(filter: .all).first?.key)
        try queue.store.decide(key: key, decision: .escalate, by: "ana", note: "legal", now: VerdictFixtures.base)
        let item = try #require(try queue.store.item(key: key))
        #expect(item.status == "escalated")
        #expect(
            item.decisions == [
                QueueDecision(decision: "escalate", by: "ana", at: "2026-11-24T12:00:00Z", note: "legal")
            ]
        )
        #expect(try queue.store.item(key: 999) == nil)
    }
}
