internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

extension Triage.Queue {
    /// `triage queue export`: the queue in the formats a support team uses.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export queue items as CSV, JSON Lines, an HTML shift page or Zendesk ticket imports.",
            discussion: """
                Items come most urgent first, with the same filters as `queue list` (every member of a \
                campaign is its own row). csv: a spreadsheet-safe file (cells that start like a formula are \
                neutralised). jsonl: every field, one item per line. html: one self-contained page for a \
                moderator shift, spans highlighted, hard-to-see categories masked until clicked, no script. \
                zendesk: a JSON array of Ticket Import request bodies ({"tickets": [...]}, at most 100 each), \
                with a stable external_id so exporting again is idempotent. Personal data is redacted in \
                csv and zendesk unless --no-redact (and kept in html and jsonl unless --redact).
                """
        )

        /// The export formats, as the command line names them.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case csv, jsonl, html, zendesk
        }

        @Option(help: "csv, jsonl, html or zendesk.")
        var format: Format

        @OptionGroup var filters: QueueFilterOptions

        @Option(help: "At most this many items.")
        var limit: Int?

        @Flag(inversion: .prefixedNo, help: "Replace personal data with placeholders ([EMAIL], [CARD]…).")
        var redact: Bool?

        @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
        var out: String?

        @OptionGroup var database: QueueDatabaseOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let now = Date()
            let data: Data
            let count: Int
            do {
                let store = try database.open()
                let items = try store.list(filter: filters.filter(now: now), limit: limit)
                count = items.count
                data = QueueExport.render(
                    items,
                    format: QueueExportFormat(rawValue: format.rawValue) ?? .jsonl,
                    options: QueueExportOptions(redactPII: redact, now: now)
                )
            } catch {
                warn("\(error)")
                throw ExitCode(2)
            }
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: data) else {
                    warn("\(out): cannot write the export")
                    throw ExitCode(2)
                }
                warn("\(count) items → \(out)")
            } else {
                try OutputFile.standardOutput.write(data)
            }
        }
    }
}
