public import Foundation
internal import Reporting

/// The HTML export: one self-contained page for a moderator's shift, a card per item in the given order.
///
/// Like the scan report, the page has inline CSS and nothing else: no scripts, fonts or images, and a
/// Content-Security-Policy that forbids them anyway, so a post that slips past escaping still cannot run or
/// fetch anything. Everything from the data is escaped with the report's `HTMLText`, and the markup is
/// well-formed XML, so tests can parse it.
///
/// Reviewer wellness: text in a masked category (`QueueExportOptions.maskedCategories`) shows as a dark bar
/// naming the category until it is clicked. The toggle is a checkbox inside a `<label>`, styled by
/// `:checked`, rather than `<details>`, because it must sit inside a line of text and `<details>` is a block.
enum HTMLShiftExport {
    static func render(_ items: [QueueItem], options: QueueExportOptions) -> String {
        let overdue = items.filter { $0.isOverdue(at: options.now) }.count
        var page = "<!DOCTYPE html>\n"
        page += #"<html lang="en"><head><meta charset="utf-8"/>"#
        page += #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>"#
        page += #"<meta name="viewport" content="width=device-width, initial-scale=1"/>"#
        page += #"<meta name="referrer" content="no-referrer"/>"#
        page += "<title>\(HTMLText.escape(options.title))</title>"
        page += "<style>\(stylesheet)</style></head>\n<body>\n"
        page += "<header><h1>\(HTMLText.escape(options.title))</h1>"
        page += #"<p class="range">\#(items.count) \#(items.count == 1 ? "item" : "items")"#
        page += overdue > 0 ? #" · <span class="late">\#(overdue) overdue</span>"# : ""
        page += " · exported \(HTMLText.escape(timestamp(options.now)))</p>"
        if !options.maskedCategories.isEmpty {
            page += #"<p class="note">Text in "#
            page += HTMLText.escape(options.maskedCategories.sorted().joined(separator: ", "))
            page += " is hidden behind a dark bar: click the bar to show it, again to hide it.</p>"
        }
        page += "</header>\n<main>\n"
        if items.isEmpty { page += #"<p class="empty">The queue is empty.</p>"# + "\n" }
        for item in items { page += card(item, options: options) }
        page += "</main>\n<footer>Written by triage from the review queue. "
        page += "Positions are Unicode code points into the text.</footer>\n</body></html>\n"
        return page
    }

    /// One item's card: its facts, its text with findings highlighted, and the list of findings.
    static func card(_ item: QueueItem, options: QueueExportOptions) -> String {
        let isOverdue = item.isOverdue(at: options.now)
        let priority = ["urgent", "high", "normal", "low"].contains(item.priority) ? item.priority : "other"
        var html = #"<article class="item\#(isOverdue ? " overdue" : "")" id="item-\#(item.key)">"#
        html += #"<div class="item-head"><span class="badge priority-\#(priority)">"#
        html += "\(HTMLText.escape(item.priority))</span>"
        html += #"<span class="badge \#(item.action == "block" ? "block" : "review")">"#
        html += "\(HTMLText.escape(item.action))</span>"
        html += #"<span class="queue">\#(HTMLText.escape(item.queue))</span>"#
        if let dueAt = item.dueAt {
            let due = QueueTime.date(dueAt)
            let when = #"<time>\#(HTMLText.escape(due.map(timestamp) ?? dueAt))</time>"#
            if isOverdue, let due {
                html += #"<span class="due late">overdue by \#(duration(options.now.timeIntervalSince(due)))"#
                html += " · was due \(when)</span>"
            } else {
                html += #"<span class="due">due \#(when)</span>"#
            }
        }
        if item.status != "open" { html += #"<span class="badge status">\#(HTMLText.escape(item.status))</span>"# }
        html += #"<span class="score">score \#(QueueExport.score(item.score))</span></div>"#

        html += #"<div class="facts"><span>#\#(item.key)</span>"#
        html += #"<span>post <code>\#(HTMLText.escape(item.postID))</code></span>"#
        if let file = item.sourceFile {
            let place = file + (item.sourceLine.map { ":\($0)" } ?? "")
            html += #"<span class="where">\#(HTMLText.escape(place))</span>"#
        }
        if let campaign = item.campaign {
            html += #"<span class="campaign">campaign \#(HTMLText.escape(campaign.id)): "#
            html += "\(campaign.size) \(campaign.size == 1 ? "post" : "posts"), "
            html += "\(campaign.authors) \(campaign.authors == 1 ? "author" : "authors")</span>"
        }
        if item.authorRole != nil || item.surface != nil {
            html += "<span>\(HTMLText.escape(item.authorRole ?? "?")) on \(HTMLText.escape(item.surface ?? "?"))"
            html += "</span>"
        }
        html += "</div>"

        html +=
            item.text.isEmpty
            ? #"<div class="text empty-text">no text</div>"#
            : #"<div class="text">\#(highlighted(item, masked: options.maskedCategories))</div>"#
        html += findingList(item, masked: options.maskedCategories)
        if !item.decisions.isEmpty {
            html += #"<ul class="decisions">"#
            for decision in item.decisions {
                html += "<li>\(HTMLText.escape(decision.decision)) by \(HTMLText.escape(decision.by)), "
                html += "<time>\(HTMLText.escape(decision.at))</time>"
                if let note = decision.note, !note.isEmpty { html += ": \(HTMLText.escape(note))" }
                html += "</li>"
            }
            html += "</ul>"
        }
        html += "</article>\n"
        return html
    }

    /// The findings, one per line; the excerpts of masked categories are behind the same toggle as the text.
    static func findingList(_ item: QueueItem, masked: Set<String>) -> String {
        guard !item.findings.isEmpty else { return "" }
        var html = #"<ul class="findings">"#
        for finding in item.findings {
            html += "<li><code>\(HTMLText.escape(finding.rule))</code> "
            html += #"<span class="category">(\#(HTMLText.escape(finding.category)))</span> "#
            if !finding.excerpt.isEmpty {
                var excerpt = "<q>"
                HTMLText.append(finding.excerpt, to: &excerpt, inAttribute: false)
                excerpt += "</q>"
                html += isMasked(finding.category, in: masked) ? toggle(excerpt, hint: finding.category) : excerpt
            }
            let place = finding.isInText ? " \(finding.start)–\(finding.end)" : ""
            html += #" <span class="position">\#(HTMLText.escape(finding.field))\#(place)</span></li>"#
        }
        return html + "</ul>"
    }

    /// `html` hidden behind a dark bar naming `hint` until clicked.
    static func toggle(_ html: String, hint: String) -> String {
        #"<label class="mask"><input type="checkbox"/><span class="masked" data-hint=""#
            + HTMLText.attribute("\(hint) · show") + #"">"# + html + "</span></label>"
    }

    /// Whether `category` is one of `masked` or a subcategory of one (`sexual.unwanted` of `sexual`).
    static func isMasked(_ category: String, in masked: Set<String>) -> Bool {
        masked.contains(category) || masked.contains { category.hasPrefix($0 + ".") }
    }

    /// `date` as `2026-11-24 13:00 UTC`.
    static func timestamp(_ date: Date) -> String {
        QueueTime.minuteString(date)
    }

    /// `seconds` as `45 min`, `3 h 20 min` or `2 d 4 h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int(seconds / 60))
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 24 * 60 { return "\(minutes / 60) h" + (minutes % 60 == 0 ? "" : " \(minutes % 60) min") }
        return "\(minutes / (24 * 60)) d" + (minutes % (24 * 60) / 60 == 0 ? "" : " \(minutes % (24 * 60) / 60) h")
    }
}
