public import Foundation

/// One post in the review queue: a verdict routed to review (or to block, kept for audit), with what a
/// moderator needs to decide it and what they decided.
public struct QueueItem: Sendable, Hashable, Codable {
    /// The database row id: what `queue show ID` and `queue decide ID` take.
    public var key: Int64
    /// A stable id for the verdict (a hash of the post id, its source and the policy hash): importing the
    /// same verdicts again finds the same items, and exports to other systems (Zendesk's `external_id`)
    /// are idempotent.
    public var externalID: String
    /// The post's id in the platform (`id` of the record).
    public var postID: String
    /// The text the findings point into: the body, or the visible text of an HTML body.
    public var text: String
    /// `review` or `block`.
    public var action: String
    /// The queue: the category that drove the action.
    public var queue: String
    /// `urgent`, `high`, `normal` or `low`.
    public var priority: String
    /// The review deadline, ISO 8601 UTC, if the record had a `created_at`.
    public var dueAt: String?
    /// The highest category score.
    public var score: Double
    /// Each category's score.
    public var categories: [String: Double]
    /// The findings, in order of position.
    public var findings: [QueueFinding]
    /// The campaign the post belongs to, if any.
    public var campaign: QueueCampaign?
    /// The policy hash that decided (`sha256:…`).
    public var policy: String
    /// Where the record was read (a scan's `moderation.source`), if known.
    public var sourceFile: String?
    public var sourceLine: Int?
    /// Who wrote it, to whom, where (`creator`, `fan`…; `dm`, `comment`…), as the record said.
    public var authorRole: String?
    public var surface: String?
    /// When the item entered the queue, ISO 8601 UTC.
    public var importedAt: String
    /// `open`, `removed`, `approved` or `escalated`: the latest decision, or `open`.
    public var status: String
    /// Every decision, oldest first (the audit trail).
    public var decisions: [QueueDecision]

    public init(
        key: Int64,
        externalID: String,
        postID: String,
        text: String,
        action: String,
        queue: String,
        priority: String,
        dueAt: String?,
        score: Double,
        categories: [String: Double],
        findings: [QueueFinding],
        campaign: QueueCampaign?,
        policy: String,
        sourceFile: String?,
        sourceLine: Int?,
        authorRole: String?,
        surface: String?,
        importedAt: String,
        status: String,
        decisions: [QueueDecision]
    ) {
        self.key = key
        self.externalID = externalID
        self.postID = postID
        self.text = text
        self.action = action
        self.queue = queue
        self.priority = priority
        self.dueAt = dueAt
        self.score = score
        self.categories = categories
        self.findings = findings
        self.campaign = campaign
        self.policy = policy
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
        self.authorRole = authorRole
        self.surface = surface
        self.importedAt = importedAt
        self.status = status
        self.decisions = decisions
    }

    /// Whether the item is still open past its deadline at `now`.
    public func isOverdue(at now: Date) -> Bool {
        guard status == "open", let dueAt, let due = QueueTime.date(dueAt) else { return false }
        return due < now
    }
}

/// A finding as the queue keeps it: enough to highlight and explain it.
public struct QueueFinding: Sendable, Hashable, Codable {
    public var rule: String
    public var category: String
    public var weight: Double
    /// `body`, `text` or `link`: the field the span points into.
    public var field: String
    /// Code point offsets into `QueueItem.text` (for `body` and `text` fields).
    public var start: Int
    public var end: Int
    public var excerpt: String
    /// Where the rule is defined (`lexicons/scam.yml:12`, `classifier:pii.card`).
    public var source: String

    public init(
        rule: String,
        category: String,
        weight: Double,
        field: String,
        start: Int,
        end: Int,
        excerpt: String,
        source: String
    ) {
        self.rule = rule
        self.category = category
        self.weight = weight
        self.field = field
        self.start = start
        self.end = end
        self.excerpt = excerpt
        self.source = source
    }
}

/// The campaign of near-identical posts an item belongs to.
public struct QueueCampaign: Sendable, Hashable, Codable {
    public var id: String
    /// The campaign's size when this post joined it.
    public var size: Int
    public var authors: Int

    public init(id: String, size: Int, authors: Int) {
        self.id = id
        self.size = size
        self.authors = authors
    }
}

/// One moderator decision.
public struct QueueDecision: Sendable, Hashable, Codable {
    /// `remove`, `approve` or `escalate`.
    public var decision: String
    /// Who decided.
    public var by: String
    /// When, ISO 8601 UTC.
    public var at: String
    public var note: String?

    public init(decision: String, by: String, at: String, note: String?) {
        self.decision = decision
        self.by = by
        self.at = at
        self.note = note
    }
}
