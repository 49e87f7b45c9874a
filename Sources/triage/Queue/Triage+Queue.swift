internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

extension Triage {
    /// `triage queue`: the review queue, a SQLite file moderators work through.
    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work the review queue: import verdicts, list, show, decide, and see the numbers.",
            discussion: """
                The queue is a SQLite file (--db, default ./triage.db) that several moderators and an import \
                can use at once. Items come from the review.jsonl and block.jsonl that `triage scan` writes.
                """,
            subcommands: [Import.self, List.self, Show.self, Decide.self, Stats.self, Export.self]
        )
    }
}

/// The `--db` option every queue command takes.
struct QueueDatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The queue database.", valueName: "file"))
    var db = "triage.db"

    /// Opens the queue, creating it if it is new.
    func open() throws -> QueueStore {
        try QueueStore.open(db)
    }
}

extension QueueStore {
    /// Opens the queue at `path` for a command; a write waits `$TRIAGE_BUSY_TIMEOUT` seconds (default 10) for
    /// another process that holds the database before the command fails with a message.
    static func open(_ path: String) throws(QueueError) -> QueueStore {
        let setting = ProcessInfo.processInfo.environment["TRIAGE_BUSY_TIMEOUT"].flatMap(TimeInterval.init)
        return try QueueStore(path: path, busyTimeout: setting.map { max($0, 0) } ?? QueueStore.busyTimeout)
    }
}

extension Triage.Queue {
    /// `triage queue import`: verdict files into the queue.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add review and block verdicts (JSON Lines) to the queue.",
            discussion: """
                Allow verdicts and error records are skipped. A verdict imported before (the same post, \
                source line and policy) is left as it is, so importing a scan's output again is harmless. \
                Lines that are not verdicts are reported as file:line: reason.
                Exit status: 0 every line imported or skipped; 1 some lines were not verdicts; \
                2 the queue or a file could not be opened.
                """
        )

        @Argument(help: ArgumentHelp("Verdict files (review.jsonl, block.jsonl).", valueName: "file.jsonl"))
        var files: [String]

        @OptionGroup var database: QueueDatabaseOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one verdicts file") }
        }

        func run() throws {
            let store: QueueStore
            var total = ImportResult()
            var invalid = 0
            do {
                store = try database.open()
                for file in files {
                    let result = try store.importVerdicts(file: file, now: Date())
                    for line in result.invalid { warn("\(file):\(line.line): \(line.reason)") }
                    invalid += result.invalid.count
                    total.add(result)
                }
            } catch {
                warn("\(error)")
                throw ExitCode(2)
            }
            print(
                "\(total.added) added, \(total.alreadyPresent) already in the queue, \(total.skipped) skipped, "
                    + "\(invalid) invalid → \(database.db)"
            )
            if invalid > 0 { throw ExitCode(1) }
        }
    }

    /// `triage queue decide`: a moderator's decision, recorded with who and when.
    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove, approve or escalate an item (with its whole campaign).",
            discussion: """
                Deciding an item in a campaign decides every open member of the campaign. An item that \
                already has a decision is refused unless --override is given; both decisions stay in its \
                audit trail.
                """
        )

        @Argument(help: "The item's key (from `triage queue list`).")
        var key: Int64

        @Flag(exclusivity: .exclusive, help: "The decision.")
        var decision: Decision

        @Option(help: ArgumentHelp("Who decides.", valueName: "name"))
        var by: String

        @Option(help: ArgumentHelp("Why, for the audit trail.", valueName: "text"))
        var note: String?

        @Flag(help: "Record a new decision on an item that already has one.")
        var override = false

        @OptionGroup var database: QueueDatabaseOptions

        enum Decision: String, EnumerableFlag {
            case remove, approve, escalate
        }

        func validate() throws {
            guard !by.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--by must name who decides")
            }
        }

        func run() throws {
            let kind = QueueDecision.Kind(rawValue: decision.rawValue) ?? .escalate
            let count = try database.open().decide(
                key: key,
                decision: kind,
                by: by,
                note: note,
                now: Date(),
                override: override
            )
            let status = kind.status.rawValue
            print(count == 1 ? "item \(key) \(status)" : "item \(key) and \(count - 1) campaign members \(status)")
        }
    }
}
