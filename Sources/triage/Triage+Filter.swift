internal import ArgumentParser
internal import Dispatch
internal import Engine
internal import Foundation
internal import Moderation
internal import ReviewQueue
internal import Synchronization

extension Triage {
    /// `triage filter`: JSON Lines in, verdicts out, in order, streaming.
    struct Filter: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderate records from standard input and write verdicts to standard output.",
            discussion: """
                Every input line yields exactly one output line, in input order: the record with a \
                "moderation" object added, or an error record (routed to review) when the line cannot be \
                read. Error records are also reported on stderr as source:line:column: reason.
                Exit status: 0 every record moderated; 1 some lines became error records; 2 triage could \
                not run; 64 a usage mistake.
                """
        )

        /// Which verdicts reach standard output.
        enum Emit: String, ExpressibleByArgument, CaseIterable {
            case all, allow, review, block
        }

        @OptionGroup var rules: RuleOptions

        /// How input lines are read.
        enum Input: String, ExpressibleByArgument, CaseIterable {
            case jsonl, text
        }

        @Option(help: "Input lines are JSON records (jsonl) or one post body each (text).")
        var input: Input = .jsonl

        @Option(help: "Write only the verdicts with this action to standard output (error records count as review).")
        var emit: Emit = .all

        @Option(
            help: ArgumentHelp(
                "Also write allow.jsonl, review.jsonl, block.jsonl and errors.jsonl here.",
                valueName: "dir"
            )
        )
        var queues: String?

        @Option(
            help: ArgumentHelp(
                "Also put review and block verdicts into this review queue (SQLite; see `triage queue`).",
                valueName: "file"
            )
        )
        var queueDb: String?

        @Option(
            help: ArgumentHelp(
                "The input's name in messages, error records and default ids (name:line).",
                discussion: "Useful when standard input is a file or part of one, as in a Spark partition.",
                valueName: "name"
            )
        )
        var source = "stdin"

        @Option(help: "The line number of the first input line, when standard input starts within a file.")
        var firstLine = 1

        @Option(help: "Worker threads (default: all cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Lines longer than this many bytes become error records.")
        var maxRecordBytes: Int = 1 << 20

        @Flag(
            inversion: .prefixedNo,
            help: """
                Group near-identical posts from different authors (a window of recent posts); each verdict \
                carries its campaign, and from the third author on, posts with a link, handle or finding \
                score as spam. On unless `spam.campaign` is switched off in the policy's `heuristics`.
                """
        )
        var campaigns = true

        @Flag(
            help: """
                Replace personal data in the emitted text with placeholders ([EMAIL], [PHONE], [CARD], …); \
                findings keep their offsets into the unredacted original. An HTML body with personal data \
                is replaced by its redacted visible text.
                """
        )
        var redact = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            guard maxRecordBytes >= 16 else { throw ValidationError("--max-record-bytes must be at least 16") }
            guard firstLine >= 1 else { throw ValidationError("--first-line must be at least 1") }
            guard !source.isEmpty else { throw ValidationError("--source must not be empty") }
        }

        func run() throws {
            // A closed stdout must surface as EPIPE from write(2), not kill the process.
            signal(SIGPIPE, SIG_IGN)
            let sink: RoutedOutput
            do {
                sink = try RoutedOutput(emit: emit, queuesDirectory: queues, queueDatabase: queueDb)
            } catch {
                warn("\(error)")
                throw ExitCode(2)
            }
            // The rules load on the compute queue while this thread reads the first batch: start-up overlaps
            // input instead of preceding it.
            let (rules, campaigns, format, maxRecordBytes) = (self.rules, self.campaigns, input, self.maxRecordBytes)
            let (redact, source) = (self.redact, self.source)
            let load: @Sendable () throws(EngineError) -> RecordProcessor = {
                var pipeline = try rules.loadPipeline()
                pipeline.groupsCampaigns = campaigns && pipeline.policyAllowsCampaigns
                var processor = RecordProcessor(
                    pipeline: pipeline,
                    format: format == .text ? .text : .jsonl,
                    sourceName: source,
                    maxRecordBytes: maxRecordBytes
                )
                processor.redactsPersonalData = redact
                return processor
            }
            let outcome = stream(load: load, sink: sink)
            sink.close()
            switch outcome {
            case .failed(let message):
                warn(message)
                throw ExitCode(2)
            case .finished(let records, let errors) where errors > 0:
                warn("\(errors) of \(records) input lines could not be read; they are error records, sent to review.")
                throw ExitCode(1)
            case .finished, .brokenPipe:
                return
            }
        }

        enum Outcome {
            case finished(records: Int, errors: Int)
            case brokenPipe
            case failed(String)
        }

        /// Reads, moderates and writes with three overlapping steps: this thread reads batch n+2 while the
        /// compute queue moderates batch n+1 on all workers and the writer queue writes batch n.
        func stream(load: @escaping @Sendable () throws(EngineError) -> RecordProcessor, sink: RoutedOutput) -> Outcome
        {
            let reader = LineReader(
                descriptor: STDIN_FILENO,
                name: source,
                maxRecordBytes: maxRecordBytes,
                firstLineNumber: firstLine
            )
            let compute = DispatchQueue(label: "triage.compute")
            let writer = DispatchQueue(label: "triage.writer")
            let inFlight = DispatchSemaphore(value: 3)  // batches read but not yet written: bounds memory
            let state = Mutex(StreamState())
            let loaded = Mutex<RecordProcessor?>(nil)
            let workers = jobs
            compute.async {
                do {
                    let processor = try load()
                    loaded.withLock { $0 = processor }
                } catch {
                    state.withLock { $0.stop = .failed("\(error)") }
                }
            }
            while state.withLock({ $0.stop == nil }) {
                let batch: LineBatch?
                do {
                    batch = try reader.nextBatch()
                } catch {
                    state.withLock { $0.stop = .failed("\(error)") }
                    break
                }
                guard let batch else { break }
                inFlight.wait()
                compute.async {
                    guard let processor = loaded.withLock({ $0 }) else {
                        inFlight.signal()  // the rules did not load: the run is stopping
                        return
                    }
                    let moderated = processor.moderate(batch, workers: workers)
                    writer.async {
                        defer { inFlight.signal() }
                        guard state.withLock({ $0.stop == nil }) else { return }
                        // Campaigns are settled here, in input order, while the compute queue moderates the
                        // next batch.
                        let output = processor.settleCampaigns(moderated, batch: batch, workers: workers)
                        do {
                            try sink.write(output)
                            state.withLock {
                                $0.records += output.records.count
                                $0.errors += output.messages.count
                            }
                        } catch is OutputFile.BrokenPipe {
                            state.withLock { $0.stop = .brokenPipe }
                        } catch {
                            state.withLock { $0.stop = .failed("\(error)") }
                        }
                    }
                }
            }
            compute.sync {}
            writer.sync {}
            return state.withLock { $0.stop ?? .finished(records: $0.records, errors: $0.errors) }
        }
    }

    struct StreamState {
        var records = 0
        var errors = 0
        var stop: Filter.Outcome?
    }
}

/// Where verdicts go: standard output (filtered by `--emit`), with `--queues` one file per queue, and with
/// `--queue-db` the review queue.
final class RoutedOutput: Sendable {
    private let emit: Triage.Filter.Emit
    private let queueFiles: [String: OutputFile]
    private let standardOutputClosed = Mutex(false)
    private let reviewQueue: QueueStore?

    init(emit: Triage.Filter.Emit, queuesDirectory: String?, queueDatabase: String? = nil) throws {
        self.emit = emit
        reviewQueue = try queueDatabase.map { try QueueStore(path: $0) }
        guard let queuesDirectory else {
            queueFiles = [:]
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: queuesDirectory, withIntermediateDirectories: true)
        } catch {
            throw CommandError.io("\(queuesDirectory): cannot create the queues folder: \(error.localizedDescription)")
        }
        var files: [String: OutputFile] = [:]
        for queue in RecordQueue.allCases {
            files[queue.name] = try OutputFile.create(queuesDirectory + "/\(queue.name).jsonl")
        }
        queueFiles = files
    }

    /// Writes one batch's verdicts and its error messages, in order.
    func write(_ output: BatchOutput) throws {
        for message in output.messages { warn(message) }
        try reviewQueue?.importVerdicts(lines: output.queueLines, now: Date())
        if emit == .all, queueFiles.isEmpty {
            // One write per batch: a batch with campaign members is assembled first (a copy costs less
            // than a system call per replaced line).
            try OutputFile.standardOutput.write(output.bytes)
            return
        }
        if !queueFiles.isEmpty {
            for (queue, bytes) in zip(RecordQueue.allCases, output.linesByQueue()) where !bytes.isEmpty {
                try queueFiles[queue.name]?.write(bytes)
            }
        }
        var standard: [UInt8] = []
        if emit == .all {
            standard = output.bytes
        } else {
            output.forEachRecord { record, line in
                if emit.rawValue == record.action.rawValue { standard.append(contentsOf: line) }
            }
        }
        guard !standardOutputClosed.withLock({ $0 }) else { return }
        do {
            try OutputFile.standardOutput.write(standard)
        } catch is OutputFile.BrokenPipe {
            // Whoever read standard output has gone (`| head`), but the queue files are the record of the
            // run: they are written to the end, and the run ends normally.
            standardOutputClosed.withLock { $0 = true }
        }
    }

    func close() {
        for file in queueFiles.values { file.close() }
    }
}
