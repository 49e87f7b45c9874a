public import Foundation

/// The JSONL export: one JSON object per item and line, with every field of `QueueItem`.
///
/// Keys are snake_case (`external_id`, `due_at`) and sorted, so two exports of the same items are byte for
/// byte the same and diff well. Missing values are `null` rather than absent keys, so every line has the
/// same keys.
enum JSONLExport {
    static func render(_ items: [QueueItem]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = Data()
        for item in items {
            // Encoding plain strings, numbers and arrays cannot fail; a failure is a bug in `Line`.
            guard let line = try? encoder.encode(Line(item)) else { fatalError("a queue item did not encode") }
            output.append(line)
            output.append(0x0A)
        }
        return output
    }

    /// A `QueueItem` with snake_case keys and explicit nulls.
    struct Line: Encodable {
        let item: QueueItem
        init(_ item: QueueItem) { self.item = item }

        enum Key: String, CodingKey {
            case key, text, action, queue, priority, score, categories, findings, campaign, policy, surface
            case status, decisions
            case externalID = "external_id"
            case postID = "post_id"
            case dueAt = "due_at"
            case sourceFile = "source_file"
            case sourceLine = "source_line"
            case authorRole = "author_role"
            case importedAt = "imported_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(item.key, forKey: .key)
            try container.encode(item.externalID, forKey: .externalID)
            try container.encode(item.postID, forKey: .postID)
            try container.encode(item.text, forKey: .text)
            try container.encode(item.action, forKey: .action)
            try container.encode(item.queue, forKey: .queue)
            try container.encode(item.priority, forKey: .priority)
            try container.encode(item.dueAt, forKey: .dueAt)
            try container.encode(item.score, forKey: .score)
            try container.encode(item.categories, forKey: .categories)
            try container.encode(item.findings, forKey: .findings)
            try container.encode(item.campaign, forKey: .campaign)
            try container.encode(item.policy, forKey: .policy)
            try container.encode(item.sourceFile, forKey: .sourceFile)
            try container.encode(item.sourceLine, forKey: .sourceLine)
            try container.encode(item.authorRole, forKey: .authorRole)
            try container.encode(item.surface, forKey: .surface)
            try container.encode(item.importedAt, forKey: .importedAt)
            try container.encode(item.status, forKey: .status)
            try container.encode(item.decisions, forKey: .decisions)
        }
    }
}
