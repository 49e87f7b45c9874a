internal import ArgumentParser
internal import Dispatch
internal import Engine
internal import Foundation
internal import Ingestion
internal import Moderation
internal import Reporting
internal import Synchronization

extension Triage {
    /// `triage scan`: batch scans of content dumps, into queue files, a summary and a report.
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan files and folders of content into allow, review, block and error files, with a report.",
            discussion: """
                Formats by extension: .jsonl/.ndjson (records), .jsonl.gz (streamed), .csv (a header row; \
                --body-column, --id-column), .html/.htm (one post per file, its id the path), .txt (one post \
                per line). Other files are skipped and counted. DIR gets allow.jsonl, review.jsonl, \
                block.jsonl, errors.jsonl (every record that could not be read, with its file, line and \
                reason), summary.json and report.html. Every verdict carries moderation.source (file, line).
                Ctrl-C or SIGTERM stops cleanly; `triage scan --resume DIR` goes on where it stopped (also \
                after kill -9), so that every input record is in exactly one output line.
                Exit status: 0 every record moderated; 1 some records could not be read (see errors.jsonl); \
                2 triage could not run; 130 interrupted (resume it); 64 a usage mistake.
                """
        )

        @Argument(help: "Files and folders to scan (folders recursively).")
        var paths: [String] = []

        @Option(name: .customLong("out"), help: ArgumentHelp("The folder for the results.", valueName: "dir"))
        var outDirectory: String?

        @Option(help: ArgumentHelp("Go on with the interrupted scan in this folder.", valueName: "dir"))
        var resume: String?

        @Option(help: "Read every file as this format instead of by extension (jsonl, jsonl.gz, csv, html, txt).")
        var format: ScanFormat?

        @Option(help: "The CSV column holding the post's text.")
        var bodyColumn = "body"

        @Option(help: "The CSV column holding the post's id (default: `id` when the header has one).")
        var idColumn: String?

        @OptionGroup var rules: RuleOptions

        @Option(help: "Worker threads (default: all cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Records longer than this many bytes become error records.")
        var maxRecordBytes: Int = 1 << 20

        @Option(help: "Most findings one verdict lists; the rest are counted in `findings_omitted`.")
        var maxFindings: Int = Pipeline.defaultMaxFindings

        @Option(help: "A .jsonl.gz file that expands more than this many times is refused as a zip bomb.")
        var maxGzipRatio: Int = GzipSource<FileSource>.defaultMaxExpansionRatio

        /// When the progress bar is drawn.
        enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
            case auto, always, never
        }

        @Option(help: "Progress on stderr: auto (when stderr is a terminal), always or never.")
        var progress: ProgressMode = .auto

        @Flag(help: "Replace personal data in the emitted text with placeholders ([EMAIL], [CARD], …).")
        var redact = false

        @Flag(inversion: .prefixedNo, help: "Group near-identical posts from different authors into campaigns.")
        var campaigns = true

        @Option(
            help: ArgumentHelp(
                "Also put review and block verdicts into this review queue (SQLite; see `triage queue`).",
                valueName: "file"
            )
        )
        var queueDb: String?

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            guard maxRecordBytes >= 16 else { throw ValidationError("--max-record-bytes must be at least 16") }
            guard maxFindings >= 1 else { throw ValidationError("--max-findings must be at least 1") }
            guard maxGzipRatio >= 1 else { throw ValidationError("--max-gzip-ratio must be at least 1") }
            if resume != nil {
                guard paths.isEmpty, outDirectory == nil, queueDb == nil else {
                    throw ValidationError(
                        "--resume DIR takes the paths and options from the scan in DIR; give nothing else"
                    )
                }
            } else {
                guard !paths.isEmpty else { throw ValidationError("give the files or folders to scan") }
                guard outDirectory != nil else { throw ValidationError("--out DIR is required") }
            }
        }

        func run() throws {
            Allocator.keepFreedMemory()
            let scan: ScanJob
            do {
                scan =
                    try resume.map(ScanJob.resuming)
                    ?? ScanJob.starting(
                        options: ScanOptions(
                            paths: paths,
                            format: format,
                            bodyColumn: bodyColumn,
                            idColumn: idColumn,
                            lexicons: try rules.directory(),
                            policyOverlay: rules.policyOverlay,
                            maxRecordBytes: maxRecordBytes,
                            maxFindings: maxFindings,
                            maxGzipRatio: maxGzipRatio,
                            redact: redact,
                            campaigns: campaigns,
                            queueDatabase: queueDb
                        ),
                        directory: outDirectory ?? ""
                    )
            } catch {
                warn("\(error)")
                throw ExitCode(2)
            }
            let showsProgress =
                progress == .always || (progress == .auto && isatty(STDERR_FILENO) == 1)
            let outcome = scan.run(workers: jobs, showsProgress: showsProgress)
            switch outcome {
            case .failed(let message):
                warn(message)
                throw ExitCode(2)
            case .interrupted:
                throw ExitCode(130)
            case .finished(let errors) where errors > 0:
                throw ExitCode(1)
            case .finished:
                return
            }
        }
    }
}

extension ScanFormat: ExpressibleByArgument {}
