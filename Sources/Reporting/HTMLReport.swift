internal import Moderation

/// The scan report: one self-contained HTML page for a weekly Trust & Safety review.
///
/// The page has inline CSS and inline SVG charts, and no scripts, fonts or images to fetch, so it can be
/// mailed, archived or printed as is. Everything taken from the data is escaped (`HTMLText`). The markup is
/// also well-formed XML, so tests can parse it.
public enum HTMLReport {
    /// How many categories the category chart draws; the rest are counted under it.
    static let maxChartCategories = 15
    /// How many rules the rule table lists.
    static let maxRules = 25
    /// How many rows the file and skipped-file tables list before pointing at `summary.json`.
    static let maxFileRows = 200

    /// The bar colours of the actions and errors: the colours of the tiles' edges in the stylesheet.
    static let allowColor = "#2f9e5b"
    static let reviewColor = "#e3a008"
    static let blockColor = "#d64545"
    static let errorColor = "#8a94a6"
    /// The bar colour of categories.
    static let categoryColor = "#4a78c9"

    /// Renders `summary` as a complete HTML page.
    public static func render(_ summary: ScanSummary) -> String {
        var page = #"<!DOCTYPE html>"# + "\n"
        page += #"<html lang="en"><head><meta charset="utf-8"/>"#
        page += #"<meta name="viewport" content="width=device-width, initial-scale=1"/>"#
        page += "<title>\(HTMLText.escape(title(summary)))</title>"
        page += "<style>\(stylesheet)</style></head>\n<body>\n"
        page += header(summary)
        page += overview(summary)
        page += charts(summary)
        page += audience(summary)
        page += ruleTable(summary)
        page += campaignTable(summary)
        page += fileTable(summary)
        page += skippedTable(summary)  // before the long review sample: gaps in the input must not be missed
        page += reviewSample(summary)
        let engine = summary.engineVersion.isEmpty ? "triage" : summary.engineVersion
        page += "<footer>Written by \(HTMLText.escape(engine)) from summary.json. "
        page += "Offsets are Unicode code points.</footer>\n"
        page += "</body></html>\n"
        return page
    }

    // MARK: - Sections

    private static func title(_ summary: ScanSummary) -> String {
        guard let startedAt = summary.startedAt else { return "Triage scan report" }
        return "Triage scan report, \(startedAt.prefix(10))"
    }

    private static func header(_ summary: ScanSummary) -> String {
        var html = "<header><h1>Triage scan report</h1>"
        html += #"<p class="range">\#(timeRange(summary))</p><dl class="meta">"#
        let throughput = summary.throughput
        var facts: [(String, String)] = [
            (
                "Input",
                "\(bytes(throughput.bytes)) in \(count(summary.files.count)) \(plural(summary.files.count, "file"))"
                    + (summary.skipped.isEmpty ? "" : ", \(count(summary.skipped.count)) skipped")
            ),
            ("Duration", duration(throughput.seconds)),
            (
                "Throughput",
                "\(rate(throughput.megabytesPerSecond)) MB/s · "
                    + "\(count(Int(throughput.postsPerSecond.rounded()))) posts/s"
            ),
        ]
        facts = facts.map { ($0.0, HTMLText.escape($0.1)) }
        facts.append(
            ("Policy", "<code>\(HTMLText.escape(summary.policyHash.isEmpty ? "-" : summary.policyHash))</code>")
        )
        facts.append(("Engine", HTMLText.escape(summary.engineVersion.isEmpty ? "-" : summary.engineVersion)))
        for (term, value) in facts { html += "<div><dt>\(term)</dt><dd>\(value)</dd></div>" }
        html += "</dl></header>\n"
        return html
    }

    private static func timeRange(_ summary: ScanSummary) -> String {
        func time(_ stamp: String) -> String {
            #"<time datetime="\#(HTMLText.attribute(stamp))">\#(HTMLText.escape(readable(stamp)))</time>"#
        }
        switch (summary.startedAt, summary.finishedAt) {
        case (let start?, let end?): return "\(time(start)) to \(time(end))"
        case (let start?, nil): return "Started \(time(start)), not finished"
        case (nil, let end?): return "Finished \(time(end))"
        case (nil, nil): return "No time recorded"
        }
    }

    private static func overview(_ summary: ScanSummary) -> String {
        let total = summary.records
        let tiles: [(String, Int, String)] = [
            ("Records", total, "total"),
            ("Allowed", summary.actions.allow, "allow"),
            ("Review", summary.actions.review, "review"),
            ("Blocked", summary.actions.block, "block"),
            ("Errors", summary.errors, "errors"),
        ]
        var html = #"<section class="tiles" aria-label="Totals">"#
        for (name, value, kind) in tiles {
            html += #"<div class="tile \#(kind)"><div class="name">\#(name)</div><div class="n">\#(count(value))</div>"#
            html += kind == "total" ? "" : #"<div class="share">\#(percent(value, of: total))</div>"#
            html += "</div>"
        }
        return html + "</section>\n"
    }

    private static func charts(_ summary: ScanSummary) -> String {
        let actionBars = [
            Bar(label: "allow", value: summary.actions.allow, color: allowColor),
            Bar(label: "review", value: summary.actions.review, color: reviewColor),
            Bar(label: "block", value: summary.actions.block, color: blockColor),
            Bar(label: "errors", value: summary.errors, color: errorColor),
        ]
        var html = #"<section><h2>Actions</h2>"#
        html += barChart(id: "chart-actions", title: "Records by action", bars: actionBars, total: summary.records)
        html += "</section>\n<section><h2>Categories</h2>"
        let ranked = ranking(summary.categories)
        if ranked.isEmpty {
            html += #"<p class="empty">No post scored in any category.</p>"#
        } else {
            let bars = ranked.prefix(maxChartCategories).map {
                Bar(label: $0.key, value: $0.value, color: categoryColor)
            }
            html += #"<p class="note">Posts with a score in each category; a post can count in several.</p>"#
            html += barChart(id: "chart-categories", title: "Posts by category", bars: bars, total: summary.records)
            html += moreNote(ranked.count - bars.count, "category", "categories")
        }
        return html + "</section>\n"
    }

    /// Author roles and surfaces, side by side.
    private static func audience(_ summary: ScanSummary) -> String {
        let moderated = summary.actions.total
        var html = #"<section class="pair">"#
        for (heading, column, counts) in [
            ("Author roles", "role", summary.authorRoles), ("Surfaces", "surface", summary.surfaces),
        ] {
            html += "<div><h2>\(heading)</h2>"
            let rows = ranking(counts).map {
                [HTMLText.escape($0.key), count($0.value), percent($0.value, of: moderated)]
            }
            html +=
                rows.isEmpty
                ? #"<p class="empty">No posts.</p>"# : table([.text(column), .number("posts"), .number("share")], rows)
            html += "</div>"
        }
        return html + "</section>\n"
    }

    private static func ruleTable(_ summary: ScanSummary) -> String {
        var html = "<section><h2>Top rules</h2>"
        let ranked = ranking(summary.rules)
        guard !ranked.isEmpty else { return html + #"<p class="empty">No rule fired.</p></section>"# + "\n" }
        let findings = summary.rules.values.reduce(0, +)
        let rows = ranked.prefix(maxRules).map {
            ["<code>\(HTMLText.escape($0.key))</code>", count($0.value), percent($0.value, of: findings)]
        }
        html += table([.text("rule"), .number("findings"), .number("share of findings")], rows)
        html += moreNote(ranked.count - rows.count, "rule", "rules")
        return html + "</section>\n"
    }

    private static func campaignTable(_ summary: ScanSummary) -> String {
        var html = "<section><h2>Top campaigns</h2>"
        let campaigns = summary.topCampaigns
        guard !campaigns.isEmpty else {
            return html + #"<p class="empty">No campaigns of near-identical posts.</p></section>"# + "\n"
        }
        html += #"<p class="note">Groups of near-identical posts, largest first.</p>"#
        let rows = campaigns.map {
            [
                "<code>\(HTMLText.escape($0.id))</code>", count($0.size), count($0.authors),
                #"<span class="excerpt">\#(HTMLText.escape($0.excerpt))</span>"#,
            ]
        }
        return html + table([.text("campaign"), .number("posts"), .number("authors"), .text("sample")], rows)
            + "</section>\n"
    }

    private static func fileTable(_ summary: ScanSummary) -> String {
        var html = "<section><h2>Files</h2>"
        guard !summary.files.isEmpty else { return html + #"<p class="empty">No files read.</p></section>"# + "\n" }
        let files = summary.files.sorted { $0.key < $1.key }
        var rows = files.prefix(maxFileRows).map { path, file in
            [
                #"<span class="path">\#(HTMLText.escape(path))</span>"#, count(file.records), count(file.allow),
                count(file.review), count(file.block), count(file.errors), bytes(file.bytes),
            ]
        }
        let totals = summary.files.values.reduce(FileStats()) { $0.adding($1) }
        rows.append([
            "<strong>all files</strong>", count(totals.records), count(totals.allow), count(totals.review),
            count(totals.block), count(totals.errors), bytes(totals.bytes),
        ])
        html += table(
            [.text("file")] + ["records", "allow", "review", "block", "errors", "size"].map(Column.number),
            rows
        )
        html += moreNote(files.count - min(files.count, maxFileRows), "file", "files")
        return html + "</section>\n"
    }

    private static func reviewSample(_ summary: ScanSummary) -> String {
        var html = "<section><h2>Review sample</h2>"
        guard !summary.reviewSample.isEmpty else {
            return html + #"<p class="empty">Nothing was sent to review.</p></section>"# + "\n"
        }
        html += #"<p class="note">The \#(count(summary.reviewSample.count)) most urgent of "#
        html += "\(count(summary.actions.review)) posts sent to review, by priority and score. "
        html += "Highlights mark what each rule matched.</p>"
        for item in summary.reviewSample { html += reviewCard(item) }
        return html + "</section>\n"
    }

    private static func reviewCard(_ item: ReviewItem) -> String {
        var html = #"<article class="item"><div class="item-head">"#
        html += #"<span class="badge \#(item.action.rawValue)">\#(item.action.rawValue)</span>"#
        html += #"<span class="badge priority-\#(item.priority.rawValue)">\#(item.priority.rawValue)</span>"#
        html += "<code>\(HTMLText.escape(item.id))</code>"
        html += #"<span class="where">\#(HTMLText.escape("\(item.file):\(item.line)"))</span>"#
        if let campaign = item.campaign {
            html += #"<span class="campaign">campaign <code>\#(HTMLText.escape(campaign))</code></span>"#
        }
        html += #"<span class="score">score \#(decimal(item.score, digits: 2))</span></div>"#
        html += #"<div class="text">\#(highlighted(item.text, spans: item.findings))"#
        html +=
            item.isTruncated
            ? #"<span class="cut">… (cut after \#(count(ScanSummary.maxTextScalars)) code points)</span>"# : ""
        html += #"</div><ul class="findings">"#
        for span in item.findings {
            html += "<li><code>\(HTMLText.escape(span.rule))</code> "
            html += #"<span class="category">\#(HTMLText.escape(span.category))</span> "#
            let place = span.isInText ? "\(span.start)–\(span.end)" : "in a link, \(span.start)–\(span.end)"
            html += #"<span class="position">\#(place)</span> "#
            html += #"<q>\#(HTMLText.escape(span.excerpt))</q></li>"#
        }
        return html + "</ul></article>\n"
    }

    private static func skippedTable(_ summary: ScanSummary) -> String {
        guard !summary.skipped.isEmpty else { return "" }
        let sorted = summary.skipped.sorted { ($0.path, $0.reason) < ($1.path, $1.reason) }
        let rows = sorted.prefix(maxFileRows).map {
            [#"<span class="path">\#(HTMLText.escape($0.path))</span>"#, HTMLText.escape($0.reason)]
        }
        var html = "<section><h2>Skipped files</h2>" + table([.text("file"), .text("reason")], rows)
        html += moreNote(sorted.count - rows.count, "skipped file", "skipped files")
        return html + "</section>\n"
    }

    // MARK: - Pieces

    /// A table column: its header, and whether it holds numbers (right-aligned, tabular digits).
    private struct Column {
        var name: String
        var isNumber: Bool

        static func text(_ name: String) -> Column { Column(name: name, isNumber: false) }
        static func number(_ name: String) -> Column { Column(name: name, isNumber: true) }
    }

    /// A table whose `rows` hold HTML already escaped, one cell per column.
    private static func table(_ columns: [Column], _ rows: [[String]]) -> String {
        func cell(_ tag: String, _ column: Int, _ content: String) -> String {
            columns[column].isNumber ? #"<\#(tag) class="num">\#(content)</\#(tag)>"# : "<\(tag)>\(content)</\(tag)>"
        }
        var html = "<table><thead><tr>"
        for (index, column) in columns.enumerated() { html += cell("th", index, HTMLText.escape(column.name)) }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (index, content) in row.enumerated() { html += cell("td", index, content) }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    private static func moreNote(_ hidden: Int, _ singular: String, _ pluralForm: String) -> String {
        guard hidden > 0 else { return "" }
        return
            #"<p class="note">And \#(count(hidden)) more \#(hidden == 1 ? singular : pluralForm) in summary.json.</p>"#
    }

    /// Counts, largest first, names in order among equals.
    static func ranking(_ counts: [String: Int]) -> [(key: String, value: Int)] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    }
}
