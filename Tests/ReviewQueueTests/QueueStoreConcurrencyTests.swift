import Dispatch
import Foundation
import ReviewQueue
import Synchronization
import Testing

struct QueueStoreConcurrencyTests {
    /// Two connections to one file, as two processes would have: one imports 20,000 verdicts in batches
    /// while the other decides items as fast as it can. SQLite serializes the writes; the busy timeout
    /// makes each wait its turn, so neither sees SQLITE_BUSY and every write lands.
    @Test func importingWhileDecidingLosesNothing() throws {
        let queue = try TemporaryQueue()
        try queue.add((1...200).map { VerdictFixtures.line(id: "seed\($0)") })
        let importer = try QueueStore(path: queue.path)
        let decider = try QueueStore(path: queue.path)
        let seeds = try queue.store.list(filter: .all).map(\.key)
        let lines = VerdictFixtures.lines((1...20_000).map { VerdictFixtures.line(id: "bulk\($0)") })
        let failures = Mutex<[String]>([])
        let imported = Mutex(ImportResult())
        let decided = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                if worker == 0 {
                    let result = try importer.importVerdicts(lines: lines, now: VerdictFixtures.base)
                    imported.withLock { $0 = result }
                } else {
                    for key in seeds {
                        try decider.decide(key: key, decision: .remove, by: "ana", now: VerdictFixtures.base)
                        decided.withLock { $0 += 1 }
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(imported.withLock { $0.added } == 20_000)
        #expect(decided.withLock { $0 } == 200)
        let stats = try queue.store.stats(now: VerdictFixtures.base)
        #expect(stats.open == 20_000)
        #expect(stats.decided == 200)
        #expect(try queue.store.list(filter: QueueFilter(status: .removed)).allSatisfy { $0.decisions.count == 1 })
    }
}
