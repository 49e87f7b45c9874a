/// A span a finding points at in a text, as the HTML pages highlight it.
public protocol HighlightedSpan: Equatable {
    /// The rule or heuristic id.
    var rule: String { get }
    /// The category it scores.
    var category: String { get }
    /// First code point of the span.
    var start: Int { get set }
    /// One past the last code point of the span.
    var end: Int { get set }
    /// Whether the span points into the text, rather than into a link.
    var isInText: Bool { get }
}

/// The highlighting the scan report and the review shift page share.
///
/// Overlapping spans are not nested: the text is cut at every span boundary and each piece that some span
/// covers gets one `<mark>` naming all the spans over it (class `overlap` when there are several), so the
/// markup is well formed however the spans cross.
public enum Highlighting {
    /// A stretch of text, in code points, and the spans that cover all of it (none for plain text).
    public struct Piece<Span: HighlightedSpan> {
        public var range: Range<Int>
        public var cover: [Span]
    }

    /// `scalarCount` code points cut into pieces at every boundary of `spans`, neighbours with the same
    /// cover merged. Spans that point into a link, are empty or fall outside the text are left out.
    public static func pieces<Span: HighlightedSpan>(scalarCount: Int, spans: [Span]) -> [Piece<Span>] {
        let spans = spans.compactMap { span -> Span? in
            var span = span
            span.start = max(0, span.start)
            span.end = min(scalarCount, span.end)
            return span.isInText && span.start < span.end ? span : nil
        }
        let cuts = Set([0, scalarCount] + spans.flatMap { [$0.start, $0.end] }).sorted()
        var pieces: [Piece<Span>] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            let cover = spans.filter { $0.start <= start && $0.end >= end }
            if let last = pieces.last, last.cover == cover {
                pieces[pieces.count - 1].range = last.range.lowerBound..<end
            } else {
                pieces.append(Piece(range: start..<end, cover: cover))
            }
        }
        return pieces
    }

    /// Appends `scalars`, escaped, inside a `<mark>` titled with the `rule (category)` of each span in
    /// `covered`, or bare when `covered` is empty.
    public static func appendPiece<Span: HighlightedSpan>(
        _ scalars: ArraySlice<Unicode.Scalar>,
        covered: [Span],
        to output: inout String
    ) {
        guard !scalars.isEmpty else { return }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        guard !covered.isEmpty else {
            HTMLText.append(text, to: &output, inAttribute: false)
            return
        }
        var names: [String] = []
        for span in covered where !names.contains("\(span.rule) (\(span.category))") {
            names.append("\(span.rule) (\(span.category))")
        }
        output += covered.count > 1 ? #"<mark class="overlap" title=""# : #"<mark title=""#
        HTMLText.append(names.joined(separator: "; "), to: &output, inAttribute: true)
        output += #"">"#
        HTMLText.append(text, to: &output, inAttribute: false)
        output += "</mark>"
    }
}
