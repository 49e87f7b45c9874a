public import Reporting

extension HTMLShiftExport {
    /// The item's text as escaped HTML, each finding's span in a `<mark>` titled `rule (category)`, and each
    /// stretch covered by a masked category behind one toggle.
    ///
    /// The scan report's cut (`Highlighting`); consecutive pieces under a masked span share one toggle, so
    /// one click shows the whole stretch.
    static func highlighted(_ item: QueueItem, masked: Set<String>) -> String {
        let scalars = Array(item.text.unicodeScalars)
        let pieces = Highlighting.pieces(scalarCount: scalars.count, spans: item.findings)

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
                    Highlighting.appendPiece(scalars[pieces[index].range], covered: pieces[index].cover, to: &inner)
                    index += 1
                }
                output += toggle(inner, hint: hints.joined(separator: ", "))
                continue
            }
            Highlighting.appendPiece(scalars[pieces[index].range], covered: pieces[index].cover, to: &output)
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
}

extension QueueFinding: HighlightedSpan {}
