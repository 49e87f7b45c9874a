public import Foundation

/// The Zendesk export: request bodies for the Ticket Import API, one JSON array of them in one file.
///
/// `POST /api/v2/imports/tickets/create_many` "accepts an array of up to 100 ticket objects", so items go
/// in batches of 100, each `{"tickets": [...]}`; a script posts the array's elements one by one. Ticket
/// Import (developer.zendesk.com/rest_api/docs/core/ticket_import) takes the usual ticket properties plus
/// `comments`, each of which may use "value, body, or html_body for the comment body" and its own
/// `created_at`; the ticket may set `created_at`, `updated_at` and `solved_at`. None of these is required:
/// without a `requester_id` the importing admin is the requester (Tickets API, "Requesters and
/// submitters"), which suits tickets about posts rather than from customers. So each ticket has:
///
/// - `external_id`: the item's `externalID`, stable across imports, so a re-export can be matched up
///   (`/api/v2/tickets?external_id=…`) instead of being imported twice;
/// - `subject`: `[priority] top rule — post id`, cut at the 150 characters the ticket schema allows;
/// - `comments`: the evidence as a plain-text `body` (so nothing in a post is rendered as HTML) and
///   `public: false` (an internal note: evidence is never mailed to a requester), then one note per decision;
/// - `priority`: Zendesk's own `urgent`, `high`, `normal`, `low`, which the queue uses too;
/// - `status`: `new` for an open item, `open` for an escalated one (someone must act), `solved` with
///   `solved_at` for a removed or approved one;
/// - `tags`: `triage`, the queue, then categories and rules, lowercased with anything but `a-z`, `0-9`, `_`
///   and `-` turned into `_` (`offplatform.payment` → `offplatform_payment`): Zendesk splits tags at spaces
///   and matches them case-insensitively, and the safe subset survives its tag field and its search.
///
/// Custom fields are left out: their ids differ in every Zendesk account.
enum ZendeskExport {
    /// The most tickets one `create_many` request takes.
    static let maxTicketsPerRequest = 100
    /// The longest subject the ticket schema allows.
    static let maxSubjectLength = 150

    static func render(_ items: [QueueItem]) -> Data {
        let requests = stride(from: 0, to: items.count, by: maxTicketsPerRequest).map { start in
            Request(tickets: items[start..<min(start + maxTicketsPerRequest, items.count)].map(ticket))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail; a failure is a bug in `Ticket`.
        guard var data = try? encoder.encode(requests) else { fatalError("a Zendesk request did not encode") }
        data.append(0x0A)
        return data
    }

    /// One request body of `create_many`.
    struct Request: Codable, Equatable {
        var tickets: [Ticket]
    }

    /// A ticket as the Ticket Import API takes it.
    struct Ticket: Codable, Equatable {
        var externalID: String
        var subject: String
        var comments: [Comment]
        var priority: String
        var status: String
        var tags: [String]
        var createdAt: String
        var solvedAt: String?

        enum CodingKeys: String, CodingKey {
            case subject, comments, priority, status, tags
            case externalID = "external_id"
            case createdAt = "created_at"
            case solvedAt = "solved_at"
        }
    }

    /// A comment of an imported ticket.
    struct Comment: Codable, Equatable {
        var body: String
        var isPublic: Bool
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case body
            case isPublic = "public"
            case createdAt = "created_at"
        }
    }

    static func ticket(_ item: QueueItem) -> Ticket {
        let decided = item.status == "removed" || item.status == "approved"
        var comments = [Comment(body: evidence(item), isPublic: false, createdAt: item.importedAt)]
        for decision in item.decisions {
            var body = "Decision: \(decision.decision) by \(decision.by)"
            if let note = decision.note, !note.isEmpty { body += "\n\(note)" }
            comments.append(Comment(body: body, isPublic: false, createdAt: decision.at))
        }
        return Ticket(
            externalID: item.externalID,
            subject: subject(item),
            comments: comments,
            priority: priority(item.priority),
            status: decided ? "solved" : item.status == "escalated" ? "open" : "new",
            tags: tags(item),
            createdAt: item.importedAt,
            solvedAt: decided ? item.decisions.last?.at : nil
        )
    }

    /// `[high] offplatform.payment — p_123`: the priority, the heaviest finding's rule (or the queue) and
    /// the post id.
    static func subject(_ item: QueueItem) -> String {
        let rule = item.findings.max { $0.weight < $1.weight }?.rule ?? item.queue
        return String("[\(item.priority)] \(rule) — \(item.postID)".prefix(maxSubjectLength))
    }

    /// Zendesk's priority for the queue's (the same four names; anything else is `normal`).
    static func priority(_ priority: String) -> String {
        ["urgent", "high", "normal", "low"].contains(priority) ? priority : "normal"
    }

    /// `triage`, `queue_<queue>`, the scored categories, then the rules, as Zendesk tags, without repeats.
    static func tags(_ item: QueueItem) -> [String] {
        let names =
            ["triage", "queue_\(item.queue)"] + QueueExport.rankedCategories(item).map(\.name)
            + item.findings.map(\.rule)
        var tags: [String] = []
        for name in names.map(tag) where !name.isEmpty && !tags.contains(name) { tags.append(name) }
        return tags
    }

    /// `name` as a Zendesk tag: lowercase, with anything but `a-z`, `0-9`, `_` and `-` turned into `_`.
    static func tag(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.lowercased().unicodeScalars.map { scalar in
                    switch scalar {
                    case "a"..."z", "0"..."9", "_", "-": scalar
                    default: "_"
                    }
                }
            )
        )
    }

    /// The internal note with everything an agent needs: where the post is, why it was queued, its text.
    static func evidence(_ item: QueueItem) -> String {
        var lines = [
            "Post \(item.postID): \(item.action) in queue \(item.queue), priority \(item.priority), "
                + "score \(QueueExport.score(item.score))"
        ]
        if let file = item.sourceFile { lines.append("Source: \(file)\(item.sourceLine.map { ":\($0)" } ?? "")") }
        if let dueAt = item.dueAt { lines.append("Due: \(dueAt)") }
        if let campaign = item.campaign {
            lines.append("Campaign: \(campaign.id) (\(campaign.size) posts, \(campaign.authors) authors)")
        }
        if item.authorRole != nil || item.surface != nil {
            lines.append("Author: \(item.authorRole ?? "-"), surface: \(item.surface ?? "-")")
        }
        lines += ["", "Text:", item.text, "", "Findings:"]
        lines += item.findings.map { "- \(CSVExport.summary($0))" }
        if item.findings.isEmpty { lines.append("- none") }
        lines += ["", "Policy: \(item.policy)", "Triage item \(item.key), external id \(item.externalID)"]
        return lines.joined(separator: "\n")
    }
}
