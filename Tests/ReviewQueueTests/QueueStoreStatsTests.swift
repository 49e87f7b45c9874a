import Foundation
import ReviewQueue
import Testing

struct QueueStoreStatsTests {
    @Test func countsOpenItemsSLAAndRulePrecision() throws {
        let queue = try TemporaryQueue()
        // Imported at base: two at base - 30 h (by importing earlier), the rest at base.
        try queue.add(
            [
                VerdictFixtures.line(id: "old1", priority: "low", dueAt: nil, rules: ["r.good"]),
                VerdictFixtures.line(id: "old2", priority: "urgent", dueAt: nil, rules: ["r.bad"]),
            ],
            now: VerdictFixtures.at(hours: -30)
        )
        try queue.add([
            VerdictFixtures.line(id: "a", priority: "high", dueAt: "2026-11-24T14:00:00Z", rules: ["r.good", "r.bad"]),
            VerdictFixtures.line(id: "b", priority: "high", dueAt: "2026-11-24T14:00:00Z", rules: ["r.bad"]),
            VerdictFixtures.line(id: "c", priority: "normal", dueAt: "2026-11-24T14:00:00Z", rules: ["r.bad"]),
            VerdictFixtures.line(id: "d", priority: "normal", dueAt: "2026-11-25T14:00:00Z", rules: ["r.good"]),
            VerdictFixtures.line(id: "e", priority: "normal", dueAt: "2026-11-25T14:00:00Z", rules: ["r.good"]),
        ])
        let keys = Dictionary(uniqueKeysWithValues: try queue.store.list(filter: .all).map { ($0.postID, $0.key) })
        func decide(_ id: String, _ kind: QueueDecision.Kind, hours: Double) throws {
            try queue.store.decide(key: keys[id] ?? 0, decision: kind, by: "ana", now: VerdictFixtures.at(hours: hours))
        }
        try decide("a", .remove, hours: 1)  // on time
        try decide("b", .approve, hours: 3)  // late
        try decide("c", .approve, hours: 2)  // exactly at the deadline: on time
        let stats = try queue.store.stats(now: VerdictFixtures.at(hours: 5))
        #expect(stats.open == 4)
        #expect(stats.openByPriority == ["urgent": 1, "high": 0, "normal": 2, "low": 1])
        #expect(stats.openByAge.underOneHour == 0)
        #expect(stats.openByAge.fourToTwentyFourHours == 2)
        #expect(stats.openByAge.overTwentyFourHours == 2)
        #expect(stats.overdue == 1)  // old2: urgent, due 1 h after import 35 h ago; old1 (72 h) is not due
        #expect(stats.decided == 3)
        #expect(stats.decidedWithDeadline == 3)
        #expect(stats.decidedOnTime == 2)
        #expect(stats.slaAttainment == 2.0 / 3.0)
        #expect(stats.rules.map(\.rule) == ["r.bad", "r.good"])
        #expect(stats.rules.first?.decided == 3)
        #expect(stats.rules.first?.removed == 1)
        #expect(stats.rules.first?.approved == 2)
        #expect(stats.rules.first?.precision == 1.0 / 3.0)
        #expect(stats.rules.last?.precision == 1)
    }

    @Test func anEmptyQueueHasNoSLAYet() throws {
        let queue = try TemporaryQueue()
        let stats = try queue.store.stats(now: Date())
        #expect(stats.open == 0)
        #expect(stats.slaAttainment == nil)
        #expect(stats.rules.isEmpty)
    }
}
