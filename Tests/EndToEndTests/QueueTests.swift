import Foundation
import Testing

/// Runs `triage scan` on the samples, then the queue commands on its output, as a moderator would.
struct QueueTests {
    @Test func scanImportListDecideAndStats() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("scan").path
        let db = folder.appendingPathComponent("queue.db").path
        let samples = TriageTests.packageRoot.appendingPathComponent("samples").path
        let scan = try TriageTests.run(["scan", samples, "--out", out, "--lexicons", TriageTests.lexicons])
        #expect(scan.status == 0, "\(scan.stderr)")

        let files = ["review.jsonl", "block.jsonl", "allow.jsonl"].map { out + "/" + $0 }
        let imported = try TriageTests.run(["queue", "import"] + files + ["--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = String(decoding: imported.stdout, as: UTF8.self)
        #expect(summary.contains(" added, 0 already in the queue, "))
        let again = try TriageTests.run(["queue", "import"] + files + ["--db", db])
        #expect(String(decoding: again.stdout, as: UTF8.self).hasPrefix("0 added"))

        let list = try TriageTests.run(["queue", "list", "--db", db])
        #expect(list.status == 0)
        let rows = String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").dropFirst()
        let keys = rows.compactMap { $0.split(separator: " ").first.flatMap { Int64($0) } }
        #expect(keys.count >= 2)
        #expect(rows.first?.contains("urgent") == true)  // the most urgent first

        let first = try TriageTests.run(["queue", "decide", "\(keys[0])", "--remove", "--by", "ana", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try TriageTests.run(["queue", "decide", "\(keys[1])", "--approve", "--by", "bo", "--db", db])
        #expect(second.status == 0, "\(second.stderr)")
        let refused = try TriageTests.run(["queue", "decide", "\(keys[0])", "--approve", "--by", "bo", "--db", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("was already decided: remove by ana at"))

        let show = try TriageTests.run(["queue", "show", "\(keys[0])", "--db", db])
        #expect(String(decoding: show.stdout, as: UTF8.self).contains("[["))
        #expect(String(decoding: show.stdout, as: UTF8.self).contains("decided remove by ana"))

        let stats = try TriageTests.run(["queue", "stats", "--format", "json", "--db", db])
        #expect(stats.status == 0, "\(stats.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: stats.stdout) as? [String: Any])
        // A decided campaign member decides its campaign too: at least the two, and nothing lost.
        let added = Int(summary.prefix { $0 != " " }) ?? -1
        let decided = json["decided"] as? Int ?? 0
        #expect(decided >= 2)
        #expect((json["open"] as? Int ?? 0) + decided == added)
        #expect((json["rules"] as? [Any])?.isEmpty == false)
    }
}
