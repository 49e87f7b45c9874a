internal import CLibXML2
public import Moderation

/// Why a body could not be read.
public enum IngestionError: Error, Equatable, CustomStringConvertible {
    /// libxml2 could not build any document from the HTML.
    case unparsableHTML
    /// The HTML nests deeper than the limit.
    case htmlTooDeep(limit: Int)
    /// The HTML has more nodes than the limit.
    case htmlTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .unparsableHTML: "HTML body could not be parsed"
        case .htmlTooDeep(let limit): "HTML nests deeper than \(limit) elements"
        case .htmlTooLarge(let limit): "HTML has more than \(limit) nodes"
        }
    }
}

/// A parsed HTML body, owned by one thread at a time.
struct HTMLDocument: ~Copyable {
    private let document: xmlDocPtr

    /// libxml2 must be initialised once before threads use it (xmlInitParser(3)); touching this does it.
    static let ready: Void = xmlInitParser()

    /// Parses `html` forgivingly (RECOVER), silently (NOERROR, NOWARNING) and offline (NONET).
    ///
    /// Hostile input stays bounded by what is *not* passed: no `XML_PARSE_HUGE`, so libxml2 keeps its own
    /// nesting cap (256 elements) and text-node size cap; no `XML_PARSE_NOENT` or `DTDLOAD`, and the HTML
    /// parser does not read an internal subset's `<!ENTITY>` declarations at all, so entity payloads
    /// (billion laughs) are never expanded.
    init(parsing html: String) throws(IngestionError) {
        _ = Self.ready
        var html = html
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue
        )
        guard let context = htmlNewParserCtxt() else { throw .unparsableHTML }
        defer { htmlFreeParserCtxt(context) }
        let document = html.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) {
                htmlCtxtReadMemory(context, $0.baseAddress, Int32(clamping: $0.count), nil, "UTF-8", options)
            }
        }
        // libxml2 stops building the tree past its own nesting limit ("Excessive depth in document") and
        // keeps what it had; the text after that point would be lost without a word, so it is an error.
        if context.pointee.errNo == Int32(XML_ERR_INTERNAL_ERROR.rawValue) {
            if let document { xmlFreeDoc(document) }
            throw .htmlTooDeep(limit: 256)
        }
        guard let document else { throw .unparsableHTML }
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    /// Walks the tree and returns the visible text, links and hidden ranges.
    func visibleText(maxDepth: Int, maxNodes: Int) throws(IngestionError) -> ParsedBody {
        var walker = TextWalker(maxDepth: maxDepth, maxNodes: maxNodes)
        var child = document.pointee.children
        while let node = child {
            try walker.visit(node, depth: 0, hidden: false)
            child = node.pointee.next
        }
        return walker.finish()
    }
}

/// Accumulates visible text the way a browser lays it out: whitespace runs collapsed, block elements on
/// their own lines, `<script>`, `<style>` and comments left out, image `alt` and `title` text kept.
///
/// The text is built as UTF-8 bytes straight from libxml2's buffers, counting code points as it goes, so
/// that offsets (links, hidden ranges) are code points without decoding into Swift strings node by node.
private struct TextWalker {
    let maxDepth: Int
    let maxNodes: Int
    var nodes = 0
    var bytes: [UInt8] = []
    /// Code points in `bytes`.
    var length = 0
    var lastByte: UInt8?
    var links: [Link] = []
    var hiddenRanges: [Range<Int>] = []
    var pendingSpace = false

    init(maxDepth: Int, maxNodes: Int) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    // libxml2's HTML parser gives element names in lower case.
    static let skipped: Set<String> = ["script", "style", "head", "template", "noscript", "iframe", "object"]
    static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
        "blockquote", "section", "article", "header", "footer", "pre", "hr", "dl", "dt", "dd", "figure",
        "figcaption", "aside", "nav", "main", "address", "form", "fieldset", "body", "html",
    ]

    mutating func visit(_ node: xmlNodePtr, depth: Int, hidden: Bool) throws(IngestionError) {
        nodes += 1
        guard nodes <= maxNodes else { throw .htmlTooLarge(limit: maxNodes) }
        guard depth <= maxDepth else { throw .htmlTooDeep(limit: maxDepth) }
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { appendText(content) }
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0) } ?? ""
            if Self.skipped.contains(name) { return }
            let isHidden = hidden || Self.hidesContent(node)
            let start = length
            let isBlock = Self.blocks.contains(name)
            if isBlock { lineBreak() }
            if name == "img", let alt = Self.attribute("alt", of: node) { appendText(" " + alt + " ") }
            // A tooltip is text a reader can see too, and a place to tuck words away from filters.
            if let title = Self.attribute("title", of: node), !title.isEmpty { appendText(" " + title + " ") }
            let linkStart = length
            var child = node.pointee.children
            while let current = child {
                try visit(current, depth: depth + 1, hidden: isHidden)
                child = current.pointee.next
            }
            if name == "a", let target = Self.attribute("href", of: node) {
                // The anchor text and its exact range are settled in `finish`, once the text is whole.
                links.append(Link(target: target, anchorText: "", anchorRange: linkStart..<length))
            }
            if isBlock { lineBreak() }
            if isHidden, !hidden, length > start { hiddenRanges.append(start..<length) }
        default:
            return
        }
    }

    mutating func appendText(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: xmlChar.self) { appendText($0.baseAddress!, count: $0.count) }
        }
    }

    mutating func appendText(_ content: UnsafePointer<xmlChar>) {
        appendText(content, count: Int(xmlStrlen(content)))
    }

    /// Appends UTF-8 text, collapsing runs of whitespace into one space (none at the start of a line).
    mutating func appendText(_ content: UnsafePointer<xmlChar>, count: Int) {
        var index = 0
        while index < count {
            let byte = content[index]
            var width = 1
            var isSpace: Bool
            if byte < 0x80 {
                isSpace = byte == 0x20 || byte &- 0x09 < 5
            } else {
                width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                width = min(width, count - index)
                var iterator = UnsafeBufferPointer(start: content + index, count: width).makeIterator()
                var decoder = UTF8()
                if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                    isSpace = scalar.properties.isWhitespace
                } else {
                    isSpace = false
                }
            }
            if isSpace {
                pendingSpace = true
                index += width
                continue
            }
            if pendingSpace, let last = lastByte, last != 0x0A { appendByte(0x20) }
            pendingSpace = false
            bytes.append(contentsOf: UnsafeBufferPointer(start: content + index, count: width))
            lastByte = content[index + width - 1]
            length += 1
            index += width
        }
    }

    mutating func lineBreak() {
        pendingSpace = false
        if let last = lastByte, last != 0x0A { appendByte(0x0A) }
    }

    private mutating func appendByte(_ byte: UInt8) {
        bytes.append(byte)
        lastByte = byte
        length += 1
    }

    mutating func finish() -> ParsedBody {
        while bytes.last == 0x0A {
            bytes.removeLast()
            length -= 1
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !links.isEmpty || !hiddenRanges.isEmpty else { return ParsedBody(text: text, field: .text) }
        let scalars = Array(text.unicodeScalars)
        // Trim the spaces and line breaks that layout put at the edges of a range: it is the words.
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var range = range.clamped(to: 0..<scalars.count)
            while let first = range.first, scalars[first] == " " || scalars[first] == "\n" { range = range.dropFirst() }
            while let last = range.last, scalars[last] == " " || scalars[last] == "\n" { range = range.dropLast() }
            return range
        }
        links = links.map { link in
            var link = link
            link.anchorRange = trimmed(link.anchorRange)
            link.anchorText = String(String.UnicodeScalarView(scalars[link.anchorRange]))
            return link
        }
        hiddenRanges = hiddenRanges.map(trimmed).filter { !$0.isEmpty }
        return ParsedBody(text: text, field: .text, links: links, hiddenRanges: hiddenRanges)
    }

    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// Whether inline CSS hides the element: `display:none`, `visibility:hidden`, a zero font size or
    /// opacity, or the `hidden` attribute.
    static func hidesContent(_ node: xmlNodePtr) -> Bool {
        if xmlHasProp(node, "hidden") != nil { return true }
        guard let style = attribute("style", of: node) else { return false }
        let compact = String(style.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
        let declarations = Dictionary(
            compact.split(separator: ";").compactMap { declaration -> (String, String)? in
                let parts = declaration.split(separator: ":", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            },
            uniquingKeysWith: { _, last in last }
        )
        if declarations["display"] == "none" || declarations["visibility"] == "hidden" { return true }
        if let size = declarations["font-size"], size.hasPrefix("0"), !size.hasPrefix("0."), !size.hasPrefix("0,") {
            return true
        }
        if let opacity = declarations["opacity"], Double(opacity) == 0 { return true }
        // Text painted in the colour of its own background.
        if let color = declarations["color"],
            let background = declarations["background-color"] ?? declarations["background"],
            color == background
        {
            return true
        }
        return false
    }

}
