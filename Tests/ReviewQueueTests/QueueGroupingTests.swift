import Foundation
import ReviewQueue
import Testing

/// `listGroups` folds campaigns in SQL; these check it against the fold over every item it replaced.
struct QueueGroupingTests {
    /// The previous `listGroups`: every matching item, most urgent first, folded in order of first sight.
    static func foldedInSwift(_ items: [QueueItem]) -> [QueueGroup] {
        var groups: [QueueGroup] = []
        var groupIndex: [String: Int] = [:]
        for item in items {
            if let id = item.campaign?.id, let index = groupIndex[id] {
                groups[index].count += 1
                continue
            }
            if let id = item.campaign?.id { groupIndex[id] = groups.count }
            groups.append(
                QueueGroup(
                    campaignID: item.campaign?.id,
                    count: 1,
                    priority: item.priority,
                    dueAt: item.dueAt,
                    representative: item
                )
            )
        }
        return groups
    }

    /// Forty posts over four priorities, deadlines that tie and are missing, three campaigns and loners.
    static func makeQueue() throws -> TemporaryQueue {
        let queue = try TemporaryQueue()
        let priorities = ["low", "urgent", "normal", "high"]
        try queue.add(
            (0..<40).map { n in
                VerdictFixtures.line(
                    id: "p\(n)",
                    queue: n % 3 == 0 ? "hate" : "offplatform.payment",
                    priority: priorities[n % 4],
                    dueAt: n % 5 == 0 ? nil : "2026-11-2\(5 + n % 3)T12:00:00Z",
                    campaign: n % 2 == 0 ? ["c1", "c2", "c3"][n % 3] : nil,
                    sourceLine: n + 1
                )
            }
        )
        let decided = try #require(try queue.store.list(filter: QueueFilter(campaignID: "c2")).last)
        try queue.store.decide(key: decided.key, decision: .approve, by: "ana", note: nil, now: VerdictFixtures.base)
        return queue
    }

    @Test(arguments: [
        QueueFilter(),
        QueueFilter.all,
        QueueFilter(category: "hate"),
        QueueFilter(priority: .urgent),
        QueueFilter(campaignID: "c1"),
        QueueFilter(status: .approved),
        QueueFilter(overdueAt: VerdictFixtures.at(hours: 30)),
    ])
    func theSameGroupsInTheSameOrder(filter: QueueFilter) throws {
        let queue = try Self.makeQueue()
        let expected = Self.foldedInSwift(try queue.store.list(filter: filter))
        #expect(try queue.store.listGroups(filter: filter) == expected)
        for limit in [0, 1, 3, 100] {
            #expect(try queue.store.listGroups(filter: filter, limit: limit) == Array(expected.prefix(limit)))
        }
    }

    @Test func anEmptyQueueHasNoGroups() throws {
        let queue = try TemporaryQueue()
        #expect(try queue.store.listGroups(filter: .all, limit: 20).isEmpty)
    }
}
