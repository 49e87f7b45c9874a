import Foundation
import ReviewQueue

/// Verdict lines as `triage scan` writes them, made to order.
enum VerdictFixtures {
    static let policy = "sha256:abc"
    static let base = ISO8601DateFormatter().date(from: "2026-11-24T12:00:00Z") ?? Date(timeIntervalSince1970: 0)

    /// `base` plus `hours`.
    static func at(hours: Double) -> Date { base.addingTimeInterval(hours * 3_600) }

    static func line(
        id: String,
        action: String = "review",
        queue: String = "offplatform.payment",
        priority: String = "normal",
        dueAt: String? = "2026-11-25T12:00:00Z",
        categories: [String: Double]? = nil,
        rules: [String] = ["offplatform.cashapp"],
        campaign: String? = nil,
        sourceLine: Int? = nil
    ) -> String {
        var moderation: [String: Any] = [
            "action": action,
            "queue": queue,
            "priority": priority,
            "score": 0.74,
            "categories": categories ?? [queue: 0.74],
            "findings": rules.map { rule in
                [
                    "rule": rule, "category": queue, "weight": 0.6, "field": "body", "start": 0, "end": 4,
                    "excerpt": "send", "source": "lexicons/test.yml:1",
                ] as [String: Any]
            },
            "policy": policy,
            "engine": "triage 0.1.0",
        ]
        if let dueAt { moderation["due_at"] = dueAt }
        if let campaign { moderation["campaign"] = ["id": campaign, "size": 3, "authors": 3] }
        if let sourceLine { moderation["source"] = ["file": "dump/a.jsonl", "line": sourceLine] }
        let record: [String: Any] = [
            "id": id, "body": "send it to my cashapp", "author": ["id": "u1", "role": "fan"], "surface": "dm",
            "moderation": moderation,
        ]
        return json(record)
    }

    static func errorLine(line: Int) -> String {
        json([
            "error": ["source": "dump/a.jsonl", "line": line, "column": 3, "reason": "invalid JSON"],
            "raw": "{oops",
            "moderation": ["action": "review", "queue": "errors", "priority": "normal", "score": 0],
        ])
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func lines(_ strings: [String]) -> [ArraySlice<UInt8>] {
        strings.map { ArraySlice(Array($0.utf8)) }
    }
}

/// A queue database in a fresh temporary folder, removed when the test is done.
final class TemporaryQueue {
    let folder: URL
    let store: QueueStore

    var path: String { folder.appendingPathComponent("queue.db").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("queue-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try QueueStore(path: folder.appendingPathComponent("queue.db").path)
    }

    /// Imports `lines` at `VerdictFixtures.base`.
    @discardableResult
    func add(_ lines: [String], now: Date = VerdictFixtures.base) throws -> ImportResult {
        try store.importVerdicts(lines: VerdictFixtures.lines(lines), now: now)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
