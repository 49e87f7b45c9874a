internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

extension Triage.Queue {
    /// `triage queue stats`: the backlog, the SLA and how right each rule is.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the queue's numbers: open items, overdue, SLA attainment, precision per rule."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Option(help: "text for people, json for scripts.")
        var format: Format = .text

        @OptionGroup var database: QueueDatabaseOptions

        func run() throws {
            let stats = try database.open().stats(now: Date())
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(stats), as: UTF8.self))
            case .text:
                print(Self.text(stats), terminator: "")
            }
        }

        static func text(_ stats: QueueStats) -> String {
            let format = Triage.Check.format
            let priorities = QueuePriority.allCases.map { "\($0.rawValue) \(stats.openByPriority[$0.rawValue] ?? 0)" }
            let age = stats.openByAge
            var lines = [
                "open \(stats.open): " + priorities.joined(separator: ", "),
                "  since import: <1 h \(age.underOneHour), 1–4 h \(age.oneToFourHours), "
                    + "4–24 h \(age.fourToTwentyFourHours), >24 h \(age.overTwentyFourHours)",
                "overdue \(stats.overdue)",
                "decided \(stats.decided); SLA "
                    + (stats.slaAttainment.map {
                        "\(format($0 * 100))% (\(stats.decidedOnTime) of \(stats.decidedWithDeadline) on time)"
                    }
                        ?? "-"),
            ]
            if !stats.rules.isEmpty {
                lines.append("rules, lowest precision first:")
                lines.append("  PRECISION DECIDED REMOVED APPROVED RULE")
            }
            for rule in stats.rules {
                let cells = [format(rule.precision), String(rule.decided), String(rule.removed), String(rule.approved)]
                let padded = zip(cells, [9, 7, 7, 8]).map {
                    $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0)
                }
                lines.append("  " + padded.joined(separator: " ") + " \(rule.rule)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
