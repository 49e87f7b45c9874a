internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

extension Triage.Queue {
    /// `triage queue show`: one item with everything a moderator needs to decide it.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an item: its text with the findings highlighted, the rules, its campaign and decisions."
        )

        @Argument(help: "The item's key.")
        var key: Int64

        @Option(help: "Colour: auto (on a terminal), always or never.")
        var color: String = "auto"

        @OptionGroup var database: QueueDatabaseOptions

        func validate() throws {
            guard ["auto", "always", "never"].contains(color) else {
                throw ValidationError("--color must be auto, always or never")
            }
        }

        func run() throws {
            guard let item = try database.open().item(key: key) else { throw QueueError.noSuchItem(key: key) }
            let useColor = color == "always" || color == "auto" && isatty(STDOUT_FILENO) == 1
            print(Self.describe(item, now: Date(), color: useColor), terminator: "")
        }

        static func describe(_ item: QueueItem, now: Date, color: Bool) -> String {
            let paint = Paint(enabled: color)
            let format = Triage.Check.format
            var lines: [String] = []
            let actionColor = item.action == "block" ? Paint.red : Paint.yellow
            var header = "item \(item.key)  " + paint.apply(actionColor, item.action.uppercased())
            header += "  \(item.status)  queue \(item.queue)  priority \(item.priority)  score \(format(item.score))"
            lines.append(header)
            var due = "due \(item.dueAt ?? "-")"
            if item.isOverdue(at: now) { due += " " + paint.apply(Paint.red, "OVERDUE") }
            lines.append(due + "  imported \(item.importedAt)")
            var origin = "post \(item.postID)"
            if let file = item.sourceFile { origin += "  from \(file)" + (item.sourceLine.map { ":\($0)" } ?? "") }
            if let role = item.authorRole { origin += "  author \(role)" }
            if let surface = item.surface { origin += "  on \(surface)" }
            lines.append(origin)
            if let campaign = item.campaign {
                lines.append("campaign \(campaign.id): \(campaign.size) posts from \(campaign.authors) authors")
            }
            for (name, score) in item.categories.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("  \(name): \(format(score))")
            }
            if !item.findings.isEmpty { lines.append("findings:") }
            for finding in item.findings {
                lines.append(
                    "  \(finding.rule) [\(finding.category), weight \(format(finding.weight))] at \(finding.field) "
                        + "\(finding.start)..<\(finding.end) \"\(finding.excerpt)\"  (\(finding.source))"
                )
            }
            lines.append("text:")
            // A link finding points into a link, not into the text: it has nothing to highlight here.
            let spans = item.findings.filter { $0.field != "link" && $0.start < $0.end }.map { $0.start..<$0.end }
            lines.append("  " + Triage.Check.highlight(item.text, spans: spans, paint: paint))
            lines.append("policy \(item.policy)")
            if item.decisions.isEmpty { lines.append("no decisions yet") }
            for decision in item.decisions {
                lines.append(
                    "decided \(decision.decision) by \(decision.by) at \(decision.at)"
                        + (decision.note.map { ": \($0)" } ?? "")
                )
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
