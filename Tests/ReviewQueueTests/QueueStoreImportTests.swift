import Foundation
import ReviewQueue
import Testing

struct QueueStoreImportTests {
    @Test func importsReviewAndBlockAndSkipsTheRest() throws {
        let queue = try TemporaryQueue()
        let result = try queue.add([
            VerdictFixtures.line(id: "p1", sourceLine: 1),
            VerdictFixtures.line(id: "p2", action: "block", sourceLine: 2),
            VerdictFixtures.line(id: "p3", action: "allow", sourceLine: 3),
            VerdictFixtures.errorLine(line: 4),
            "",
            "{not json",
            #"{"id":"p7"}"#,
        ])
        #expect(result.added == 2)
        #expect(result.alreadyPresent == 0)
        #expect(result.skipped == 2)
        #expect(result.invalid.map(\.line) == [6, 7])
        #expect(result.invalid.last?.reason == "not a verdict: missing moderation")
    }

    @Test func importingAgainAddsNothing() throws {
        let queue = try TemporaryQueue()
        let lines = (1...3).map { (n: Int) in VerdictFixtures.line(id: "p\(n)", sourceLine: n) }
        #expect(try queue.add(lines).added == 3)
        let again = try queue.add(lines)
        #expect(again.added == 0)
        #expect(again.alreadyPresent == 3)
        #expect(try queue.store.list(filter: .all).count == 3)
    }

    @Test func theSamePostFromAnotherLineIsAnotherItem() throws {
        let queue = try TemporaryQueue()
        try queue.add([VerdictFixtures.line(id: "p1", sourceLine: 1), VerdictFixtures.line(id: "p1", sourceLine: 2)])
        #expect(try queue.store.list(filter: .all).count == 2)
    }

    @Test func keepsTheVerdictsFields() throws {
        let queue = try TemporaryQueue()
        try queue.add([VerdictFixtures.line(id: "p1", priority: "high", campaign: "c_1", sourceLine: 9)])
        let item = try #require(try queue.store.list(filter: .all).first)
        #expect(item.postID == "p1")
        #expect(item.text == "send it to my cashapp")
        #expect(item.priority == "high")
        #expect(item.dueAt == "2026-11-25T12:00:00Z")
        #expect(item.findings.map(\.rule) == ["offplatform.cashapp"])
        #expect(item.campaign == QueueCampaign(id: "c_1", size: 3, authors: 3))
        #expect(item.sourceFile == "dump/a.jsonl")
        #expect(item.sourceLine == 9)
        #expect(item.authorRole == "fan")
        #expect(item.surface == "dm")
        #expect(item.importedAt == "2026-11-24T12:00:00Z")
        #expect(item.status == "open")
        #expect(item.externalID.count == 32)
    }

    @Test(arguments: [
        ("urgent", "2026-11-24T13:00:00Z"), ("high", "2026-11-24T16:00:00Z"),
        ("normal", "2026-11-25T12:00:00Z"), ("low", "2026-11-27T12:00:00Z"),
    ])
    func aVerdictWithoutADeadlineGetsThePrioritysSLA(priority: String, due: String) throws {
        let queue = try TemporaryQueue()
        try queue.add([VerdictFixtures.line(id: "p1", priority: priority, dueAt: nil)])
        #expect(try queue.store.list(filter: .all).first?.dueAt == due)
    }

    @Test func importsAFile() throws {
        let queue = try TemporaryQueue()
        let file = queue.folder.appendingPathComponent("review.jsonl")
        let text = (1...4).map { VerdictFixtures.line(id: "p\($0)") + "\n" }.joined()
        try Data(text.utf8).write(to: file)
        let result = try queue.store.importVerdicts(file: file.path, now: VerdictFixtures.base)
        #expect(result.added == 4)
        #expect(result.invalid.isEmpty)
        #expect(throws: QueueError.self) {
            try queue.store.importVerdicts(file: queue.folder.appendingPathComponent("none").path, now: Date())
        }
    }
}
