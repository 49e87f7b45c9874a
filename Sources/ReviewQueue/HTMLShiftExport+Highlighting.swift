internal import Reporting

extension HTMLShiftExport {
    /// The item's text as escaped HTML, each finding's span in a `<mark>` titled `rule (category)`, and each
    /// stretch covered by a masked category behind one toggle.
    ///
    /// The same cut as the scan report's highlighting: the text is cut at every span boundary and each
    /// piece gets one `<mark>` naming all the spans over it, so crossing spans still make well-formed markup.
    /// Consecutive pieces under a masked span share one toggle, so one click shows the whole stretch. Spans in
    /// a link, empty or outside the text are left out.
    static func highlighted(_ item: QueueItem, masked: Set<String>) -> String {
        let scalars = Array(item.text.unicodeScalars)
        let spans = item.findings.compactMap { finding -> QueueFinding? in
            var span = finding
            span.start = max(0, span.start)
            span.end = min(scalars.count, span.end)
            return span.isInText && span.start < span.end ? span : nil
        }
        let cuts = Set([0, scalars.count] + spans.flatMap { [$0.start, $0.end] }).sorted()
        var pieces: [(range: Range<Int>, cover: [QueueFinding])] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            let cover = spans.filter { $0.start <= start && $0.end >= end }
            if let last = pieces.last, last.cover == cover {
                pieces[pieces.count - 1].range = last.range.lowerBound..<end
            } else {
                pieces.append((start..<end, cover))
            }
        }

        var output = ""
        var index = 0
        while index < pieces.count {
            guard maskedCategories(pieces[index].cover, masked).isEmpty else {
                // The run of pieces under masked spans, shown or hidden together.
                var hints: [String] = []
                var inner = ""
                while index < pieces.count, case let categories = maskedCategories(pieces[index].cover, masked),
                    !categories.isEmpty
                {
                    for category in categories where !hints.contains(category) { hints.append(category) }
                    appendPiece(scalars[pieces[index].range], covered: pieces[index].cover, to: &inner)
                    index += 1
                }
                output += toggle(inner, hint: hints.joined(separator: ", "))
                continue
            }
            appendPiece(scalars[pieces[index].range], covered: pieces[index].cover, to: &output)
            index += 1
        }
        return output
    }

    /// The masked categories among `spans`, in order, without repeats.
    private static func maskedCategories(_ spans: [QueueFinding], _ masked: Set<String>) -> [String] {
        var categories: [String] = []
        for span in spans where isMasked(span.category, in: masked) && !categories.contains(span.category) {
            categories.append(span.category)
        }
        return categories
    }

    /// Appends `scalars`, escaped, inside a `<mark>` naming `covered` unless it is empty.
    private static func appendPiece(
        _ scalars: ArraySlice<Unicode.Scalar>,
        covered: [QueueFinding],
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
        output += names.count > 1 ? #"<mark class="overlap" title=""# : #"<mark title=""#
        HTMLText.append(names.joined(separator: "; "), to: &output, inAttribute: true)
        output += #"">"#
        HTMLText.append(text, to: &output, inAttribute: false)
        output += "</mark>"
    }
}
