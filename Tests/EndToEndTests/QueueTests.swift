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

/// The whole review path from the README: scan straight into the queue, decide, export all four formats.
struct QueueExportCommandTests {
    @Test func scanIntoTheQueueDecideAndExportEveryFormat() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("queue.db").path
        let samples = TriageTests.packageRoot.appendingPathComponent("samples").path
        let scan = try TriageTests.run([
            "scan", samples, "--out", folder.appendingPathComponent("scan").path, "--lexicons", TriageTests.lexicons,
            "--queue-db", db,
        ])
        #expect(scan.status == 0, "\(scan.stderr)")
        let list = try TriageTests.run(["queue", "list", "--db", db])
        let rows = String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").dropFirst()
        let keys = rows.compactMap { $0.split(separator: " ").first.flatMap { Int64($0) } }
        #expect(keys.count >= 10)
        for key in keys.prefix(2) {
            let decided = try TriageTests.run(["queue", "decide", "\(key)", "--remove", "--by", "ana", "--db", db])
            #expect(decided.status == 0, "\(decided.stderr)")
        }
        var exports: [String: Data] = [:]
        for format in ["csv", "jsonl", "html", "zendesk"] {
            let path = folder.appendingPathComponent("export.\(format)").path
            let run = try TriageTests.run([
                "queue", "export", "--format", format, "--status", "all", "--db", db, "--out", path,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            exports[format] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        // JSONL: one item per line, every line an object, the decided ones with their decision.
        let items = try String(decoding: exports["jsonl"] ?? Data(), as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(items.count >= keys.count)
        #expect(items.filter { ($0["status"] as? String) == "removed" }.count >= 2)
        // CSV: a header and one row per item (quoted fields may hold line breaks, so count records).
        let csv = String(decoding: exports["csv"] ?? Data(), as: UTF8.self)
        #expect(csv.contains("key,external_id,post_id,priority"))
        // Zendesk: an array of {"tickets": [...]} bodies, each ticket with an external id and a comment.
        let zendesk = try #require(
            try JSONSerialization.jsonObject(with: exports["zendesk"] ?? Data()) as? [[String: Any]]
        )
        let tickets = zendesk.flatMap { ($0["tickets"] as? [[String: Any]]) ?? [] }
        #expect(tickets.count == items.count && zendesk.allSatisfy { (($0["tickets"] as? [Any])?.count ?? 101) <= 100 })
        #expect(tickets.allSatisfy { $0["external_id"] is String && ($0["comments"] as? [Any])?.isEmpty == false })
        // HTML: one page, no script, the content escaped.
        let html = String(decoding: exports["html"] ?? Data(), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && !html.lowercased().contains("<script"))
    }
}
