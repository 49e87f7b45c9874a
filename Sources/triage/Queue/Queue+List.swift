internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

extension Triage.Queue {
    /// `triage queue list`: what to look at next.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queue items, most urgent first, one line per campaign.",
            discussion: """
                Order: priority (urgent first), then the earliest deadline. A campaign's members share one \
                line (the CAMP column counts them; --campaign ID lists them). DUE ends in ! when overdue.
                """
        )

        @OptionGroup var filters: QueueFilterOptions

        @Option(help: "At most this many lines.")
        var limit: Int?

        @OptionGroup var database: QueueDatabaseOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let now = Date()
            let store = try database.open()
            let filter = filters.filter(now: now)
            // A campaign asked for by id is listed member by member; otherwise each campaign is one line.
            let groups =
                filters.campaign == nil
                ? try store.listGroups(filter: filter, limit: limit)
                : try store.list(filter: filter, limit: limit).map {
                    QueueGroup(
                        campaignID: $0.campaign?.id,
                        count: 1,
                        priority: $0.priority,
                        dueAt: $0.dueAt,
                        representative: $0
                    )
                }
            guard !groups.isEmpty else {
                print("no items")
                return
            }
            print(Self.row(["KEY", "PRIORITY", "DUE", "QUEUE", "SCORE", "CAMP", "TEXT"]))
            for group in groups {
                let item = group.representative
                print(
                    Self.row([
                        String(item.key), group.priority, Self.due(item, now: now), item.queue,
                        String(format: "%.2f", item.score), group.campaignID == nil ? "-" : "×\(group.count)",
                        Self.excerpt(item.text),
                    ])
                )
            }
        }

        /// Column widths: the last column (the text) is not padded.
        static let widths = [6, 8, 13, 22, 5, 5]

        static func row(_ cells: [String]) -> String {
            var line = ""
            for (index, cell) in cells.enumerated() {
                guard index < widths.count else {
                    line += cell
                    break
                }
                line += cell.padding(toLength: max(widths[index], cell.count), withPad: " ", startingAt: 0) + " "
            }
            return line
        }

        /// `11-24 16:00` (UTC), with `!` when the item is overdue.
        static func due(_ item: QueueItem, now: Date) -> String {
            guard let dueAt = item.dueAt, dueAt.count >= 16 else { return "-" }
            let short = String(dueAt.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ")
            return item.isOverdue(at: now) ? short + "!" : short
        }

        /// The start of the text on one line.
        static func excerpt(_ text: String, length: Int = 48) -> String {
            let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            return flat.count > length ? String(flat.prefix(length - 1)) + "…" : flat
        }
    }
}
