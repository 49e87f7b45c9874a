import Foundation
import ReviewQueue
import Testing

struct QueueStoreDecisionTests {
    @Test func aSecondDecisionIsRefusedUnlessOverridden() throws {
        let queue = try TemporaryQueue()
        try queue.add([VerdictFixtures.line(id: "p1")])
        let key = try #require(try queue.store.list(filter: .all).first?.key)
        #expect(try queue.store.decide(key: key, decision: .remove, by: "ana", now: VerdictFixtures.base) == 1)
        #expect(
            throws: QueueError.alreadyDecided(key: key, decision: "remove", by: "ana", at: "2026-11-24T12:00:00Z")
        ) {
            try queue.store.decide(key: key, decision: .approve, by: "bo", now: VerdictFixtures.at(hours: 1))
        }
        #expect(
            QueueError.alreadyDecided(key: 12, decision: "remove", by: "ana", at: "2026-11-24T12:00:00Z").description
                == "item 12 was already decided: remove by ana at 2026-11-24T12:00:00Z — pass --override to record a new decision"
        )
        try queue.store.decide(
            key: key,
            decision: .approve,
            by: "bo",
            note: "satire",
            now: VerdictFixtures.at(hours: 1),
            override: true
        )
        let item = try #require(try queue.store.item(key: key))
        #expect(item.status == "approved")
        #expect(item.decisions.map(\.decision) == ["remove", "approve"])
        #expect(item.decisions.map(\.by) == ["ana", "bo"])
    }

    @Test func decidingAnUnknownItemSaysSo() throws {
        let queue = try TemporaryQueue()
        #expect(throws: QueueError.noSuchItem(key: 7)) {
            try queue.store.decide(key: 7, decision: .remove, by: "ana", now: Date())
        }
    }

    @Test func aCampaignIsDecidedOnceForAllItsOpenMembers() throws {
        let queue = try TemporaryQueue()
        try queue.add([
            VerdictFixtures.line(id: "a", campaign: "c1"),
            VerdictFixtures.line(id: "b", campaign: "c1"),
            VerdictFixtures.line(id: "d", campaign: "c2"),
            VerdictFixtures.line(id: "e"),
        ])
        let first = try #require(try queue.store.members(ofCampaign: "c1").last)
        #expect(try queue.store.decide(key: first.key, decision: .remove, by: "ana", now: VerdictFixtures.base) == 2)
        #expect(try queue.store.members(ofCampaign: "c1").map(\.status) == ["removed", "removed"])
        // A member that arrives later is decided on its own, and the earlier decisions stay.
        try queue.add([VerdictFixtures.line(id: "c", campaign: "c1")])
        let late = try #require(try queue.store.list(filter: QueueFilter(campaignID: "c1")).first)
        #expect(late.postID == "c")
        #expect(try queue.store.decide(key: late.key, decision: .approve, by: "bo", now: VerdictFixtures.base) == 1)
        #expect(try queue.store.members(ofCampaign: "c1").map(\.status) == ["removed", "removed", "approved"])
        #expect(try queue.store.list(filter: QueueFilter()).map(\.postID) == ["d", "e"])
    }
}
