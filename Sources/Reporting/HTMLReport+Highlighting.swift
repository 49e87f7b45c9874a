extension HTMLReport {
    /// `text` as escaped HTML with every finding's span in a `<mark>`, whose title names the rule and category.
    ///
    /// Spans are code point offsets. Overlapping spans are not nested: the text is cut at every span boundary
    /// and each piece that some span covers gets one `<mark>` naming all the spans over it (class `overlap`
    /// when there are several), so the markup is well formed however the spans cross. Spans that point into a
    /// link, are empty or fall outside the text are left out.
    static func highlighted(_ text: String, spans: [ReviewItem.Span]) -> String {
        let scalars = Array(text.unicodeScalars)
        let spans = spans.compactMap { span -> ReviewItem.Span? in
            var span = span
            span.start = max(0, span.start)
            span.end = min(scalars.count, span.end)
            return span.isInText && span.start < span.end ? span : nil
        }
        var output = ""
        guard !spans.isEmpty else {
            HTMLText.append(text, to: &output, inAttribute: false)
            return output
        }
        let cuts = Set([0, scalars.count] + spans.flatMap { [$0.start, $0.end] }).sorted()
        var pieceStart = 0
        var pieceCover: [Int] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            let cover = spans.indices.filter { spans[$0].start <= start && spans[$0].end >= end }
            if cover != pieceCover {
                appendPiece(scalars[pieceStart..<start], covered: pieceCover.map { spans[$0] }, to: &output)
                (pieceStart, pieceCover) = (start, cover)
            }
        }
        appendPiece(scalars[pieceStart..<scalars.count], covered: pieceCover.map { spans[$0] }, to: &output)
        return output
    }

    /// Appends `scalars`, escaped, inside a `<mark>` naming `covered` unless it is empty.
    private static func appendPiece(
        _ scalars: ArraySlice<Unicode.Scalar>,
        covered: [ReviewItem.Span],
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
