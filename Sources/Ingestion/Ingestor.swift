public import Moderation

/// Turns a post's body into the text the analyzers read: plain text as it is, HTML through libxml2.
public struct Ingestor: Sendable {
    /// Deepest element nesting read before the body is refused.
    public var maxHTMLDepth: Int
    /// Most nodes read before the body is refused.
    public var maxHTMLNodes: Int

    public init(maxHTMLDepth: Int = 1_024, maxHTMLNodes: Int = 100_000) {
        _ = HTMLDocument.ready  // libxml2 set up once, before any worker starts
        self.maxHTMLDepth = maxHTMLDepth
        self.maxHTMLNodes = maxHTMLNodes
    }

    /// Reads `body` written in `format`.
    public func parse(_ body: String, format: BodyFormat) throws(IngestionError) -> ParsedBody {
        switch format {
        case .text:
            return ParsedBody(text: body, field: .body)
        case .html:
            // libxml2 makes no document of nothing; an empty body has no text either way.
            if body.utf8.allSatisfy({ $0 == 0x20 || $0 &- 0x09 < 5 }) { return ParsedBody(text: "", field: .text) }
            let document = try HTMLDocument(parsing: body)
            return try document.visibleText(maxDepth: maxHTMLDepth, maxNodes: maxHTMLNodes)
        }
    }
}
