extension HTMLReport {
    /// One bar of a chart.
    struct Bar {
        /// The label left of the bar (escaped when drawn).
        var label: String
        /// The number right of it.
        var value: Int
        /// The bar's fill colour, a CSS colour from the report's palette (not from data).
        var color: String
    }

    /// Layout of a horizontal bar chart, in SVG user units (the chart scales to its column).
    private enum ChartLayout {
        static let width = 1_040  // the page's column, so that chart text is drawn at the page's size
        static let rowHeight = 28
        static let barHeight = 18
        static let valueWidth = 130  // room right of the longest bar for "1,234,567 (100.0%)"
        static let maxLabelCharacters = 34
        static let characterWidth = 7.4  // of 13px system-ui, roughly, to size the label column
    }

    /// A horizontal bar chart as an inline `<svg>`: each bar labelled with its name, count and share of
    /// `total`, with `<title>`s for screen readers and hover.
    ///
    /// `id` must be unique on the page: it ties the chart to its title and description.
    static func barChart(id: String, title: String, bars: [Bar], total: Int) -> String {
        let labels = bars.map { $0.label.count > ChartLayout.maxLabelCharacters ? shortened($0.label) : $0.label }
        let longest = labels.map(\.count).max() ?? 0
        let labelWidth = Int((Double(max(longest, 5)) * ChartLayout.characterWidth).rounded()) + 14
        let barSpace = ChartLayout.width - labelWidth - ChartLayout.valueWidth
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        let height = max(bars.count, 1) * ChartLayout.rowHeight + 8
        let description = bars.map { "\($0.label): \(count($0.value))" }.joined(separator: ", ")

        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" "#
        svg += #"viewBox="0 0 \#(ChartLayout.width) \#(height)" width="\#(ChartLayout.width)" height="\#(height)" "#
        svg += #"aria-labelledby="\#(id)-title \#(id)-desc">"#
        svg += #"<title id="\#(id)-title">\#(HTMLText.escape(title))</title>"#
        svg += #"<desc id="\#(id)-desc">\#(HTMLText.escape(description))</desc>"#
        for (row, bar) in bars.enumerated() {
            let top = 4 + row * ChartLayout.rowHeight
            let middle = top + ChartLayout.rowHeight / 2
            // A count that is not zero always gets a sliver of bar, so it never looks like zero.
            let length = bar.value == 0 ? 0 : max(2, barSpace * bar.value / largest)
            let share = total > 0 ? " (\(percent(bar.value, of: total)))" : ""
            svg += #"<g class="bar"><title>\#(HTMLText.escape("\(bar.label): \(count(bar.value))\(share)"))</title>"#
            svg += #"<text class="label" x="\#(labelWidth - 10)" y="\#(middle)" text-anchor="end" "#
            svg += #"dominant-baseline="central">\#(HTMLText.escape(labels[row]))</text>"#
            svg += #"<rect x="\#(labelWidth)" y="\#(middle - ChartLayout.barHeight / 2)" width="\#(length)" "#
            svg += #"height="\#(ChartLayout.barHeight)" rx="3" fill="\#(bar.color)"/>"#
            svg += #"<text class="value" x="\#(labelWidth + length + 6)" y="\#(middle)" "#
            svg += #"dominant-baseline="central">\#(count(bar.value))\#(share)</text></g>"#
        }
        svg += "</svg>"
        return svg
    }

    /// `label` cut to fit the label column, keeping both ends (rule ids differ at the end as often as at the
    /// start); the full label is in the bar's `<title>`.
    private static func shortened(_ label: String) -> String {
        let keep = ChartLayout.maxLabelCharacters - 1
        return String(label.prefix(keep / 2)) + "…" + String(label.suffix(keep - keep / 2))
    }
}
