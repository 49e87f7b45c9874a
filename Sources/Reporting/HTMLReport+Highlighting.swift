extension HTMLReport {
    /// `text` as escaped HTML with every finding's span in a `<mark>`, whose title names the rule and category
    /// (`Highlighting`).
    static func highlighted(_ text: String, spans: [ReviewItem.Span]) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = ""
        for piece in Highlighting.pieces(scalarCount: scalars.count, spans: spans) {
            Highlighting.appendPiece(scalars[piece.range], covered: piece.cover, to: &output)
        }
        return output
    }
}

extension ReviewItem.Span: HighlightedSpan {}
