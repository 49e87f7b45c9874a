internal import Crypto
internal import Dispatch
public import Foundation
internal import GRDB
internal import Synchronization

extension QueueStore {
    /// Verdicts written per transaction: large enough that commits cost little, small enough that a
    /// moderator's decision in another process waits a few milliseconds, not the whole import.
    static let importBatchSize = 5_000

    /// Imports `review` and `block` verdicts, one JSON line each, as open items.
    ///
    /// `allow` verdicts and error records are skipped: an error record is a line the scan could not read,
    /// with no post and no findings to decide; it is fixed in the input and scanned again, not moderated.
    /// A verdict already imported (the same post id, source file and line, and policy hash) is counted
    /// as already present and left alone, decisions and all. A line that is not a verdict is reported
    /// with its number, and the import goes on.
    public func importVerdicts(lines: some Sequence<ArraySlice<UInt8>>, now: Date) throws(QueueError) -> ImportResult {
        var result = ImportResult()
        let parser = VerdictParser(importedAt: now)
        // Batch n+1 is parsed (on every core) while batch n is inserted: SQLite writes on one thread, so
        // without the overlap the cores would wait for it, and it for them.
        var parsed: (outcomes: [VerdictParser.Outcome], firstLine: Int)?
        var firstLine = 1
        func overlap(_ chunk: [ArraySlice<UInt8>]) throws(QueueError) {
            let outcomes = Mutex<[VerdictParser.Outcome]>([])
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                let parsed = parser.parseConcurrently(chunk)
                outcomes.withLock { $0 = parsed }
            }
            if let previous = parsed { try insert(previous.outcomes, firstLine: previous.firstLine, into: &result) }
            group.wait()
            parsed = (outcomes.withLock { $0 }, firstLine)
            firstLine += chunk.count
        }
        var lineBatch: [ArraySlice<UInt8>] = []
        lineBatch.reserveCapacity(Self.importBatchSize)
        for line in lines {
            lineBatch.append(line)
            if lineBatch.count == Self.importBatchSize {
                try overlap(lineBatch)
                lineBatch.removeAll(keepingCapacity: true)
            }
        }
        if !lineBatch.isEmpty { try overlap(lineBatch) }
        if let last = parsed { try insert(last.outcomes, firstLine: last.firstLine, into: &result) }
        return result
    }

    /// Inserts the items of one parsed batch in input order, in one transaction, and counts the rest.
    private func insert(
        _ outcomes: [VerdictParser.Outcome],
        firstLine: Int,
        into result: inout ImportResult
    ) throws(QueueError) {
        var batch: [NewItem] = []
        batch.reserveCapacity(outcomes.count)
        for (offset, outcome) in outcomes.enumerated() {
            switch outcome {
            case .item(let item): batch.append(item)
            case .skipped: result.skipped += 1
            case .blank: break
            case .invalid(let reason): result.invalid.append(.init(line: firstLine + offset, reason: reason))
            }
        }
        if !batch.isEmpty { try insert(batch, into: &result) }
    }

    /// Imports the verdicts in the JSON Lines file at `path` (a scan's `review.jsonl` or `block.jsonl`).
    public func importVerdicts(file path: String, now: Date) throws(QueueError) -> ImportResult {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try importVerdicts(
            lines: bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false),
            now: now
        )
    }

    /// Writes one batch in one transaction; the statements are prepared once per connection and reused.
    private func insert(_ batch: [NewItem], into result: inout ImportResult) throws(QueueError) {
        let (added, present) = try write { db in
            let insertItem = try db.cachedStatement(
                sql: """
                    INSERT INTO items (external_id, post_id, text, action, queue, priority, priority_rank, due_at,
                        score, categories, findings, campaign_id, campaign_size, campaign_authors, policy,
                        source_file, source_line, author_role, surface, imported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (external_id) DO NOTHING
                    """
            )
            let insertFinding = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO findings (item_id, rule, category) VALUES (?, ?, ?)"
            )
            var added = 0
            for item in batch {
                try insertItem.execute(arguments: [
                    item.externalID, item.postID, item.text, item.action, item.queue, item.priority.rawValue,
                    item.priority.rank, item.dueAt, item.score, item.categoriesJSON, item.findingsJSON,
                    item.campaign?.id, item.campaign?.size, item.campaign?.authors, item.policy, item.sourceFile,
                    item.sourceLine, item.authorRole, item.surface, item.importedAt,
                ])
                guard db.changesCount == 1 else { continue }  // already imported
                added += 1
                let key = db.lastInsertedRowID
                for (rule, category) in item.rules {
                    try insertFinding.execute(arguments: [key, rule, category])
                }
            }
            return (added, batch.count - added)
        }
        result.added += added
        result.alreadyPresent += present
    }
}

/// A verdict ready to insert.
struct NewItem {
    var externalID: String
    var postID: String
    var text: String
    var action: String
    var queue: String
    var priority: QueuePriority
    var dueAt: String
    var score: Double
    var categoriesJSON: String
    var findingsJSON: String
    var campaign: QueueCampaign?
    var policy: String
    var sourceFile: String?
    var sourceLine: Int?
    var authorRole: String?
    var surface: String?
    var importedAt: String
    /// Each rule that found something, once, with its category: the per-rule statistics.
    var rules: [(String, String)]
}

/// Turns verdict lines into items: decoding, validation, the external id and the deadline.
struct VerdictParser: Sendable {
    enum Outcome {
        case item(NewItem)
        case skipped
        case blank
        case invalid(String)
    }

    let importedAt: Date
    let importedAtString: String

    init(importedAt: Date) {
        self.importedAt = importedAt
        importedAtString = QueueTime.string(importedAt)
    }

    /// The outcomes of `lines`, in order, parsed in contiguous slices on all cores.
    ///
    /// Each worker fills its own slot and takes the lock once; parsing shares nothing else (no decoder or
    /// formatter objects), so the workers never wait for each other.
    func parseConcurrently(_ lines: [ArraySlice<UInt8>]) -> [Outcome] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, lines.count / 256))
        guard workers > 1 else { return lines.map(parse) }
        let sliceLength = (lines.count + workers - 1) / workers
        let finished = Mutex([[Outcome]](repeating: [], count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let slice = lines[min(worker * sliceLength, lines.count)..<min((worker + 1) * sliceLength, lines.count)]
            let outcomes = slice.map(parse)
            finished.withLock { $0[worker] = outcomes }
        }
        return finished.withLock { $0.flatMap { $0 } }
    }

    func parse(_ line: ArraySlice<UInt8>) -> Outcome {
        guard line.contains(where: { !Self.isSpace($0) }) else { return .blank }
        let verdict: VerdictLine
        do {
            verdict = try VerdictLine(parsing: line)
        } catch {
            return .invalid("not a verdict: \(error.reason)")
        }
        let moderation = verdict.moderation
        if verdict.isError { return .skipped }
        switch moderation.action {
        case "allow": return .skipped
        case "review", "block": break
        default: return .invalid("unknown action '\(moderation.action)'")
        }
        guard let priority = QueuePriority(rawValue: moderation.priority ?? "normal") else {
            return .invalid("unknown priority '\(moderation.priority ?? "")'")
        }
        let dueAt: String
        if let given = moderation.dueAt {
            guard let normalized = QueueTime.normalized(given) else {
                return .invalid("due_at is not an ISO 8601 time")
            }
            dueAt = normalized
        } else {
            dueAt = QueueTime.string(importedAt.addingTimeInterval(priority.defaultSLA))
        }
        guard let postID = verdict.id ?? moderation.source.map({ "\($0.file):\($0.line ?? 0)" }) else {
            return .invalid("the record has neither an id nor a moderation.source")
        }
        let policy = moderation.policy ?? ""
        let findings = moderation.findings ?? []
        let categories = moderation.categories ?? [:]
        var rules: [(String, String)] = []
        var seen = Set<String>()
        for finding in findings where seen.insert(finding.rule).inserted {
            rules.append((finding.rule, finding.category))
        }
        return .item(
            NewItem(
                externalID: Self.externalID(
                    postID: postID,
                    sourceFile: moderation.source?.file,
                    sourceLine: moderation.source?.line,
                    policy: policy
                ),
                postID: postID,
                text: moderation.text ?? verdict.body ?? "",
                action: moderation.action,
                queue: moderation.queue ?? categories.max { $0.value < $1.value }?.key ?? "",
                priority: priority,
                dueAt: dueAt,
                score: moderation.score ?? categories.values.max() ?? 0,
                categoriesJSON: JSONText.categories(categories),
                findingsJSON: JSONText.findings(findings),
                campaign: moderation.campaign,
                policy: policy,
                sourceFile: moderation.source?.file,
                sourceLine: moderation.source?.line,
                authorRole: verdict.authorRole,
                surface: verdict.surface,
                importedAt: importedAtString,
                rules: rules
            )
        )
    }

    /// The first 32 hex digits (128 bits) of SHA-256 over the post id, its source and the policy hash: the
    /// same verdict imported twice gets the same id, and the same post judged by a new policy gets a new one.
    static func externalID(postID: String, sourceFile: String?, sourceLine: Int?, policy: String) -> String {
        // The unit separator keeps ("a", "bc") and ("ab", "c") apart.
        let key = [postID, sourceFile ?? "", sourceLine.map(String.init) ?? "", policy].joined(separator: "\u{1F}")
        let digest = SHA256.hash(data: Data(key.utf8))
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
