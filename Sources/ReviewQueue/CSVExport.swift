public import Foundation

/// The CSV export: one header row and one row per item, for spreadsheets.
///
/// Quoting follows RFC 4180 (a field with a comma, quote or line break is quoted, quotes doubled; records end
/// in CRLF). Every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, as
/// OWASP advises against CSV injection ("CSV Injection", owasp.org/www-community/attacks/CSV_Injection):
/// post text is written by strangers, and a spreadsheet would run `=HYPERLINK(…)` as a formula.
enum CSVExport {
    /// The column names, in order.
    static let header = [
        "key", "external_id", "post_id", "priority", "due_at", "overdue", "status", "queue", "action", "score",
        "categories", "rules", "campaign_id", "campaign_size", "source", "text", "findings",
    ]

    /// `items` as a CSV file, starting with a UTF-8 byte order mark.
    ///
    /// The mark is what makes Excel read the file as UTF-8 rather than the system code page; LibreOffice,
    /// Google Sheets and Python's `utf-8-sig` skip it.
    static func render(_ items: [QueueItem], now: Date) -> String {
        var output = "\u{FEFF}"
        append(header, to: &output)
        for item in items { append(row(item, now: now), to: &output) }
        return output
    }

    /// The cells of `item`'s row.
    static func row(_ item: QueueItem, now: Date) -> [String] {
        var rules: [String] = []
        for finding in item.findings where !rules.contains(finding.rule) { rules.append(finding.rule) }
        let source = item.sourceFile.map { file in item.sourceLine.map { "\(file):\($0)" } ?? file } ?? ""
        return [
            String(item.key),
            item.externalID,
            item.postID,
            item.priority,
            item.dueAt ?? "",
            item.isOverdue(at: now) ? "yes" : "no",
            item.status,
            item.queue,
            item.action,
            QueueExport.score(item.score),
            QueueExport.rankedCategories(item).map { "\($0.name) \(QueueExport.score($0.score))" }
                .joined(separator: "; "),
            rules.joined(separator: "; "),
            item.campaign?.id ?? "",
            item.campaign.map { String($0.size) } ?? "",
            source,
            item.text,
            item.findings.map(summary).joined(separator: "; "),
        ]
    }

    /// One finding in a line: `rule (category) @start-end "excerpt"`.
    static func summary(_ finding: QueueFinding) -> String {
        "\(finding.rule) (\(finding.category)) \(finding.field)@\(finding.start)-\(finding.end) \"\(finding.excerpt)\""
    }

    /// Appends one record of `cells`, quoted and neutralised, ending in CRLF.
    static func append(_ cells: [String], to output: inout String) {
        output += cells.map { quoted(neutralised($0)) }.joined(separator: ",")
        output += "\r\n"
    }

    /// `cell` with a leading `'` if a spreadsheet would read it as a formula.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// `cell` in quotes, with quotes doubled, if it holds a comma, a quote or a line break.
    static func quoted(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension QueueExport {
    /// `score` with at most three decimals (`0.91`, not `0.91000000000000003`).
    static func score(_ score: Double) -> String {
        let rounded = (score * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(format: "%.1f", rounded) : String(rounded)
    }

    /// The item's categories with a score, highest first (then by name, so the order is stable).
    static func rankedCategories(_ item: QueueItem) -> [(name: String, score: Double)] {
        item.categories.filter { $0.value > 0 }.map { (name: $0.key, score: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.name < $1.name }
    }
}
