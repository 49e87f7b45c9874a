/// What happens to a post, from least to most severe.
public enum Action: String, Sendable, Hashable, Comparable, CaseIterable {
    case allow
    case review
    case block

    private var severity: Int {
        switch self {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }

    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.severity < rhs.severity }
}

/// How soon a reviewer should look at a post.
public enum Priority: String, Sendable, Hashable, Comparable, CaseIterable {
    case low
    case normal
    case high
    case urgent

    private var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// The decision for one post, with everything needed to explain it.
public struct Verdict: Sendable {
    /// Allow, review or block.
    public var action: Action
    /// The queue a reviewer works it in: the category that drove the action, or `default`.
    public var queue: String
    /// How urgent the review is.
    public var priority: Priority
    /// The review deadline in ISO 8601, when the record had a `created_at` to count from.
    public var dueAt: String?
    /// The highest category score.
    public var score: Double
    /// Each category's score, from its findings.
    public var categories: [(name: String, score: Double)]
    /// Every finding, in order of position, up to the pipeline's `maxFindings` (see `omittedFindings`).
    public var findings: [Finding]
    /// Findings left out of `findings` by the per-record cap (`--max-findings`) or the per-rule cap; the
    /// scores and the action still count every one. Emitted as `findings_omitted` when not zero.
    public var omittedFindings = 0
    /// The campaign of near-identical posts this post belongs to, if any.
    public var campaign: CampaignInfo?
    /// Where the record was read, when a batch scan reads many files: so a moderator can find it.
    public var source: RecordLocation?

    public init(
        action: Action,
        queue: String,
        priority: Priority,
        dueAt: String?,
        score: Double,
        categories: [(name: String, score: Double)],
        findings: [Finding]
    ) {
        self.action = action
        self.queue = queue
        self.priority = priority
        self.dueAt = dueAt
        self.score = score
        self.categories = categories
        self.findings = findings
    }
}

extension Verdict {
    /// The verdict for a post with no findings: allowed, nothing to explain.
    public static let plainAllow = Verdict(
        action: .allow,
        queue: "allow",
        priority: .low,
        dueAt: nil,
        score: 0,
        categories: [],
        findings: []
    )
}

/// The group of near-identical posts a post belongs to.
public struct CampaignInfo: Sendable, Hashable {
    /// A stable id for the group (from the fingerprint of its first post).
    public var id: String
    /// How many posts the group has, this one included, so far in the stream.
    public var size: Int
    /// How many distinct authors posted them.
    public var authors: Int

    public init(id: String, size: Int, authors: Int) {
        self.id = id
        self.size = size
        self.authors = authors
    }
}

/// A record's place in the input: the file and the line it starts on (1-based).
public struct RecordLocation: Sendable, Hashable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}
