/// A link found in an HTML body: where it goes and what it says.
public struct Link: Sendable, Hashable {
    /// The `href` as written.
    public var target: String
    /// The visible anchor text.
    public var anchorText: String
    /// Where the anchor text is in the visible text, in code points.
    public var anchorRange: Range<Int>

    public init(target: String, anchorText: String, anchorRange: Range<Int> = 0..<0) {
        self.target = target
        self.anchorText = anchorText
        self.anchorRange = anchorRange
    }
}

/// A post's body reduced to the text the analyzers read.
public struct ParsedBody: Sendable {
    /// The text to analyse: the body itself for text posts, the visible text for HTML.
    public var text: String
    /// The field that finding offsets point into.
    public var field: Field
    /// Links, for HTML bodies.
    public var links: [Link]
    /// Code point ranges of `text` that the HTML hides with inline CSS.
    public var hiddenRanges: [Range<Int>]

    public init(text: String, field: Field, links: [Link] = [], hiddenRanges: [Range<Int>] = []) {
        self.text = text
        self.field = field
        self.links = links
        self.hiddenRanges = hiddenRanges
    }
}
