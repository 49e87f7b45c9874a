public import Moderation

/// A post sent to review, as the report shows it: its text and where each finding is in it.
public struct ReviewItem: Sendable, Hashable {
    /// The record's id.
    public var id: String
    /// The input file.
    public var file: String
    /// The record's line in `file`, from 1.
    public var line: Int
    /// The action (`review` for the sample a scan collects).
    public var action: Action
    /// How urgent the review is.
    public var priority: Priority
    /// The highest category score.
    public var score: Double
    /// The analysed text, cut after `ScanSummary.maxTextScalars` code points.
    public var text: String
    /// Whether `text` was cut.
    public var isTruncated: Bool
    /// The findings, in order of position; spans past the cut are clipped or dropped.
    public var findings: [Span]
    /// The id of the campaign the post belongs to; the sample keeps one post per campaign.
    public var campaign: String?

    public init(
        id: String,
        file: String,
        line: Int,
        action: Action,
        priority: Priority,
        score: Double,
        text: String,
        isTruncated: Bool = false,
        findings: [Span],
        campaign: String? = nil
    ) {
        self.id = id
        self.file = file
        self.line = line
        self.action = action
        self.priority = priority
        self.score = score
        self.text = text
        self.isTruncated = isTruncated
        self.findings = findings
        self.campaign = campaign
    }

    /// One finding of a review item.
    public struct Span: Sendable, Hashable {
        /// The rule or heuristic id.
        public var rule: String
        /// The category it scores.
        public var category: String
        /// The field `start` and `end` point into; only `.body` and `.text` spans are in `ReviewItem.text`.
        public var field: Field
        /// First code point of the span.
        public var start: Int
        /// One past the last code point of the span.
        public var end: Int
        /// The original text of the span.
        public var excerpt: String

        public init(rule: String, category: String, field: Field, start: Int, end: Int, excerpt: String) {
            self.rule = rule
            self.category = category
            self.field = field
            self.start = start
            self.end = end
            self.excerpt = excerpt
        }

        /// Whether the span points into the item's text, rather than into a link.
        public var isInText: Bool { field != .link }
    }
}

extension ReviewItem {
    /// The item for `record`, with its text cut to at most `maxScalars` code points at a character boundary.
    init(record: ScanRecordSummary, maxScalars: Int) {
        let (text, isTruncated) = record.text.prefix(scalars: maxScalars)
        let kept = text.unicodeScalars.count
        let findings = record.findings.compactMap { finding -> Span? in
            var span = Span(
                rule: finding.rule,
                category: finding.category,
                field: finding.field,
                start: finding.start,
                end: finding.end,
                excerpt: finding.excerpt
            )
            if isTruncated, span.isInText {
                guard span.start < kept else { return nil }
                span.end = min(span.end, kept)
            }
            return span
        }
        self.init(
            id: record.id,
            file: record.file,
            line: record.line,
            action: record.action ?? .review,
            priority: record.priority,
            score: record.score,
            text: text,
            isTruncated: isTruncated,
            findings: findings,
            campaign: record.campaign?.id
        )
    }

    /// The `limit` most urgent of `items`, keeping only the most urgent post of each campaign.
    ///
    /// A campaign's copies would otherwise fill the sample with one text; the campaign table lists them.
    static func sample(_ items: [ReviewItem], limit: Int) -> [ReviewItem] {
        var seen: Set<String> = []
        var kept: [ReviewItem] = []
        for item in items.sorted(by: isMoreUrgent) where kept.count < limit {
            if let campaign = item.campaign, !seen.insert(campaign).inserted { continue }
            kept.append(item)
        }
        return kept
    }

    /// The ranking of the review sample: most urgent first, then highest score, then input order.
    static func isMoreUrgent(_ lhs: ReviewItem, _ rhs: ReviewItem) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        return (lhs.file, lhs.line, lhs.id) < (rhs.file, rhs.line, rhs.id)
    }
}
