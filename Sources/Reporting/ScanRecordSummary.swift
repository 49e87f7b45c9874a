public import Moderation

/// What `ScanSummary.add(record:)` needs to know about one record, taken from values the scan already holds.
///
/// Building one costs a few copies of references: `text` and `findings` are shared, not copied, and are read
/// only when the record joins the review sample or starts a campaign.
public struct ScanRecordSummary: Sendable {
    /// The input file, as the scan names it.
    public var file: String
    /// The record's line in `file`, from 1.
    public var line: Int
    /// The record's size in bytes, with its line break: the input it accounts for.
    public var bytes: Int
    /// The record's id.
    public var id: String
    /// The action, or `nil` for a line that could not be moderated (an error record).
    public var action: Action?
    /// How urgent a review is.
    public var priority: Priority
    /// The highest category score.
    public var score: Double
    /// The categories the verdict scored.
    public var categories: [String]
    /// Every finding, with code point offsets into `text` (or into a link, for `.link` findings).
    public var findings: [Finding]
    /// The campaign the post belongs to, if any.
    public var campaign: CampaignInfo?
    /// The author's role.
    public var authorRole: Role
    /// Where the post appears.
    public var surface: Surface
    /// The text that was analysed: the body of a text post, the visible text of an HTML one.
    public var text: String

    public init(
        file: String,
        line: Int,
        bytes: Int,
        id: String,
        action: Action?,
        priority: Priority = .low,
        score: Double = 0,
        categories: [String] = [],
        findings: [Finding] = [],
        campaign: CampaignInfo? = nil,
        authorRole: Role = .unknown,
        surface: Surface = .unknown,
        text: String = ""
    ) {
        self.file = file
        self.line = line
        self.bytes = bytes
        self.id = id
        self.action = action
        self.priority = priority
        self.score = score
        self.categories = categories
        self.findings = findings
        self.campaign = campaign
        self.authorRole = authorRole
        self.surface = surface
        self.text = text
    }

    /// The summary of a moderated post: its verdict, its circumstances and the text the verdict points into.
    public init(file: String, line: Int, bytes: Int, id: String, verdict: Verdict, context: PostContext, text: String) {
        self.init(
            file: file,
            line: line,
            bytes: bytes,
            id: id,
            action: verdict.action,
            priority: verdict.priority,
            score: verdict.score,
            categories: verdict.categories.map(\.name),
            findings: verdict.findings,
            campaign: verdict.campaign,
            authorRole: context.authorRole,
            surface: context.surface,
            text: text
        )
    }

    /// The summary of a line that could not be moderated.
    public static func error(file: String, line: Int, bytes: Int, id: String) -> ScanRecordSummary {
        ScanRecordSummary(file: file, line: line, bytes: bytes, id: id, action: nil)
    }
}
