/// What a batch scan found: the counts behind `summary.json` and the HTML report.
///
/// A scan feeds it one `ScanRecordSummary` per record with `add(record:)`, lets each worker keep its own and
/// combines them with `merge(_:)`. Its size does not grow with the input: counts are kept per name, and the
/// campaign and review samples are capped, so the summary of a billion records is as small as one of a
/// thousand.
public struct ScanSummary: Sendable, Equatable {
    /// The layout version written to `summary.json`; `load(from:)` refuses a newer one.
    public static let formatVersion = 1
    /// How many campaigns `topCampaigns` lists.
    public static let maxCampaigns = 20
    /// How many posts `reviewSample` keeps.
    public static let maxReviewSample = 50
    /// How many code points of a post's text a review item keeps.
    public static let maxTextScalars = 1_000
    /// How many code points of a post's text a campaign keeps as its sample.
    public static let maxCampaignExcerptScalars = 200

    /// The hash of the lexicons and policy that decided (`moderation.policy`).
    public var policyHash: String
    /// The engine that decided (`moderation.engine`), such as `triage 0.1.0`.
    public var engineVersion: String
    /// When the scan started, in ISO 8601 UTC (`2026-11-24T10:00:00Z`).
    public var startedAt: String?
    /// When the scan finished, in ISO 8601 UTC.
    public var finishedAt: String?
    /// How many records were allowed, sent to review and blocked.
    public var actions: ActionCounts
    /// How many records could not be moderated (the `errors` output).
    public var errors: Int
    /// How many posts have a score in each category.
    public var categories: [String: Int]
    /// How many findings each rule produced (a post can hold several).
    public var rules: [String: Int]
    /// How many moderated posts each author role wrote (`creator`, `fan`, …, `unknown`).
    public var authorRoles: [String: Int]
    /// How many moderated posts each surface holds (`post`, `dm`, …, `unknown`).
    public var surfaces: [String: Int]
    /// Counts per input file, keyed by its path as the scan names it.
    public var files: [String: FileStats]
    /// Inputs the scan did not read, and why.
    public var skipped: [SkippedFile]
    /// Wall-clock seconds the scan took; with a resumed scan, the sum of its runs.
    public var seconds: Double
    /// The posts sent to review that a reviewer should see first: highest priority, then highest score.
    public internal(set) var reviewSample: [ReviewItem]
    /// Every campaign seen so far (up to a bound, see `campaignTrackingLimit`), by id.
    var campaignsByID: [String: CampaignSample]

    /// Creates an empty summary for a scan by `engineVersion` under the policy `policyHash`.
    public init(policyHash: String = "", engineVersion: String = "", startedAt: String? = nil) {
        self.policyHash = policyHash
        self.engineVersion = engineVersion
        self.startedAt = startedAt
        self.finishedAt = nil
        self.actions = ActionCounts()
        self.errors = 0
        self.categories = [:]
        self.rules = [:]
        self.authorRoles = [:]
        self.surfaces = [:]
        self.files = [:]
        self.skipped = []
        self.seconds = 0
        self.reviewSample = []
        self.campaignsByID = [:]
    }

    /// Every record read: moderated ones plus errors.
    public var records: Int { actions.total + errors }

    /// Bytes of input read, over all files.
    public var inputBytes: Int { files.values.reduce(0) { $0 + $1.bytes } }

    /// How fast the scan went.
    public var throughput: Throughput { Throughput(bytes: inputBytes, records: records, seconds: seconds) }

    /// The largest campaigns, biggest first (by posts, then authors), at most `maxCampaigns`.
    public var topCampaigns: [CampaignSample] {
        Array(campaignsByID.values.sorted(by: CampaignSample.isLarger).prefix(Self.maxCampaigns))
    }
}

// MARK: - Parts

/// How many records got each action.
public struct ActionCounts: Codable, Sendable, Hashable {
    /// Records allowed.
    public var allow = 0
    /// Records sent to a human reviewer.
    public var review = 0
    /// Records blocked.
    public var block = 0

    public init(allow: Int = 0, review: Int = 0, block: Int = 0) {
        self.allow = allow
        self.review = review
        self.block = block
    }

    /// All three added up.
    public var total: Int { allow + review + block }
}

/// What one input file contributed.
public struct FileStats: Codable, Sendable, Hashable {
    /// Records read from the file: allowed, reviewed, blocked and errors.
    public var records = 0
    /// Records allowed.
    public var allow = 0
    /// Records sent to review.
    public var review = 0
    /// Records blocked.
    public var block = 0
    /// Records that could not be moderated.
    public var errors = 0
    /// Bytes of records read (uncompressed).
    public var bytes = 0

    public init(records: Int = 0, allow: Int = 0, review: Int = 0, block: Int = 0, errors: Int = 0, bytes: Int = 0) {
        self.records = records
        self.allow = allow
        self.review = review
        self.block = block
        self.errors = errors
        self.bytes = bytes
    }
}

/// An input the scan did not read.
public struct SkippedFile: Codable, Sendable, Hashable {
    /// The path as the scan names it.
    public var path: String
    /// Why, in a few words: `not a supported format`, `permission denied`.
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// One group of near-identical posts.
public struct CampaignSample: Codable, Sendable, Hashable {
    /// The campaign id (`moderation.campaign.id`).
    public var id: String
    /// How many posts it has.
    public var size: Int
    /// How many distinct authors posted them.
    public var authors: Int
    /// The start of one of its posts, to recognise it by.
    public var excerpt: String

    public init(id: String, size: Int, authors: Int, excerpt: String) {
        self.id = id
        self.size = size
        self.authors = authors
        self.excerpt = excerpt
    }

    /// The ranking of `topCampaigns`: more posts, then more authors, then by id so ties are stable.
    static func isLarger(_ lhs: CampaignSample, _ rhs: CampaignSample) -> Bool {
        (lhs.size, lhs.authors, rhs.id) > (rhs.size, rhs.authors, lhs.id)
    }
}

/// How much input the scan read, and how fast.
public struct Throughput: Sendable, Hashable {
    /// Bytes of input read.
    public var bytes: Int
    /// Records read (moderated and errors).
    public var records: Int
    /// Wall-clock seconds.
    public var seconds: Double

    public init(bytes: Int, records: Int, seconds: Double) {
        self.bytes = bytes
        self.records = records
        self.seconds = seconds
    }

    /// Megabytes (10⁶ bytes) per second; 0 when no time was measured.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }
    /// Records per second; 0 when no time was measured.
    public var postsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
}
