/// The field of a record that a finding's offsets point into.
public enum Field: String, Sendable, Hashable {
    /// The record's `body`, for plain-text posts.
    case body
    /// The visible text of an HTML body (`moderation.text` in the output).
    case text
    /// A link target found in an HTML body (`moderation.links[n].href`).
    case link
}

/// One reason for a verdict: a rule or heuristic that fired, and where.
///
/// `start` and `end` are Unicode scalar (code point) offsets into the named field of the original record, so
/// `excerpt` is exactly the original text a moderator sees highlighted.
public struct Finding: Sendable, Hashable {
    /// The rule or heuristic id, such as `offplatform.cashapp` or `heuristic.shouting`.
    public var rule: String
    /// The category the rule scores, such as `offplatform.payment`.
    public var category: String
    /// How strongly this finding alone indicates its category, from 0 to 1.
    public var weight: Double
    /// The field the span points into.
    public var field: Field
    /// First code point of the span in the original field.
    public var start: Int
    /// One past the last code point of the span in the original field.
    public var end: Int
    /// The original text of the span.
    public var excerpt: String
    /// Where the rule is defined: `lexicons/offplatform.yml:14`, or `classifier:<name>` for built-in heuristics.
    public var source: String
    /// Index of the link this finding points into, when `field` is `.link`.
    public var linkIndex: Int?

    public init(
        rule: String,
        category: String,
        weight: Double,
        field: Field,
        start: Int,
        end: Int,
        excerpt: String,
        source: String,
        linkIndex: Int? = nil
    ) {
        self.rule = rule
        self.category = category
        self.weight = weight
        self.field = field
        self.start = start
        self.end = end
        self.excerpt = excerpt
        self.source = source
        self.linkIndex = linkIndex
    }
}
