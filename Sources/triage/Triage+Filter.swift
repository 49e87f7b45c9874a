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
                not run; 130 stopped by SIGINT or SIGTERM (every output ends with a whole line; stderr says \
                where the rest of the input starts); 64 a usage mistake.
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

        @Option(help: "Most findings one verdict lists; the rest are counted in `findings_omitted`.")
        var maxFindings: Int = Pipeline.defaultMaxFindings

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
            guard maxFindings >= 1 else { throw ValidationError("--max-findings must be at least 1") }
            guard firstLine >= 1 else { throw ValidationError("--first-line must be at least 1") }
            guard !source.isEmpty else { throw ValidationError("--source must not be empty") }
        }

        func run() throws {
            // A closed stdout must surface as EPIPE from write(2), not kill the process.
            signal(SIGPIPE, SIG_IGN)
            Allocator.keepFreedMemory()
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
            let (redact, maxFindings, source) = (self.redact, self.maxFindings, self.source)
            let load: @Sendable () throws(EngineError) -> RecordProcessor = {
                var pipeline = try rules.loadPipeline()
                pipeline.groupsCampaigns = campaigns && pipeline.policyAllowsCampaigns
                pipeline.maxFindings = maxFindings
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

        /// Reads, moderates and writes in overlapping steps: this thread reads the next batch while up to two
        /// batches are moderated at once, each on all workers (so the last slice of one batch never leaves a
        /// core idle), and the writer queue settles campaigns and writes the batches in input order.
        func stream(load: @escaping @Sendable () throws(EngineError) -> RecordProcessor, sink: RoutedOutput) -> Outcome
        {
            let reader = LineReader(
                descriptor: STDIN_FILENO,
                name: source,
                maxRecordBytes: maxRecordBytes,
                firstLineNumber: firstLine
            )
            let writer = DispatchQueue(label: "triage.writer")
            let inFlight = DispatchSemaphore(value: 4)  // batches read but not yet written: bounds memory
            let workers = jobs
            let moderating = DispatchSemaphore(value: min(2, max(1, workers)))  // batches moderated at once
            let running = DispatchGroup()
            let state = Mutex(StreamState())
            let loaded = Mutex<RecordProcessor?>(nil)
            let inOrder = Mutex(ReorderBuffer())
            let signals = Self.stopCleanly(on: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")]) { name in
                state.withLock { if $0.stop == nil { $0.stop = .failed(name) } }
                // The write in progress ends; every later one sees the stop and writes nothing. A write blocked
                // on a reader that does not read is not waited for past a few seconds: a stop must not hang.
                let drained = DispatchSemaphore(value: 0)
                writer.async { drained.signal() }
                let isDrained = drained.wait(timeout: .now() + .seconds(5)) == .success
                let records = state.withLock { $0.records }
                guard isDrained else {
                    warn(
                        "stopped by \(name) during a write that did not finish: \(records) records were written "
                            + "whole; the last line of an output may be cut short"
                    )
                    return
                }
                sink.close()
                warn(
                    "stopped by \(name) after \(records) records; every output ends with a whole line, and the "
                        + "input not yet moderated starts at line \(records + 1) (tail -n +\(records + 1))"
                )
            }
            defer { for source in signals { source.cancel() } }
            let loading = DispatchGroup()
            DispatchQueue.global().async(group: loading) {
                do {
                    let processor = try load()
                    loaded.withLock { $0 = processor }
                } catch {
                    state.withLock { $0.stop = .failed("\(error)") }
                }
            }
            @Sendable func write(_ batch: LineBatch, _ moderated: BatchOutput?, by processor: RecordProcessor?) {
                defer {
                    state.withLock { $0.unwritten -= 1 }
                    inFlight.signal()
                }
                guard let moderated, let processor, state.withLock({ $0.stop == nil }) else { return }
                // Campaigns are settled here, in input order, while later batches are moderated.
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
            var sequence = 0
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
                let number = sequence
                sequence += 1
                let isAlone = state.withLock {
                    $0.unwritten += 1
                    return $0.unwritten == 1
                }
                if isAlone, batch.lines.count <= Self.inlineBatchLines {
                    // A post fed on its own (one line in, its verdict awaited) with nothing else in flight: it is
                    // moderated and written on this thread, since two hand-offs between threads were most of
                    // its latency.
                    loading.wait()
                    let processor = loaded.withLock { $0 }
                    let moderated = processor?.moderate(batch, workers: 1)
                    inOrder.withLock { $0.next += 1 }
                    writer.sync { write(batch, moderated, by: processor) }
                    continue
                }
                // The rules are waited for here, not in the task: a task blocked on them would hold a thread of
                // Dispatch's pool, which the loading itself needs for its parallel parts (and gets back only
                // after the pool notices, about a second later).
                loading.wait()
                moderating.wait()
                DispatchQueue.global().async(group: running) {
                    // No processor: the rules did not load, and the run is stopping.
                    let processor = loaded.withLock { $0 }
                    let moderated = processor?.moderate(batch, workers: workers)
                    moderating.signal()
                    // Batches finish in any order; the writer takes them in input order.
                    inOrder.withLock { buffer in
                        buffer.finished[number] = (batch, moderated)
                        while let (batch, moderated) = buffer.finished.removeValue(forKey: buffer.next) {
                            buffer.next += 1
                            writer.async { write(batch, moderated, by: processor) }
                        }
                    }
                }
            }
            running.wait()
            writer.sync {}
            return state.withLock { $0.stop ?? .finished(records: $0.records, errors: $0.errors) }
        }

        /// Batches of at most this many lines, arriving when nothing else is in flight, are moderated on the
        /// reading thread: a stream fed one post at a time.
        static let inlineBatchLines = 16

        /// Turns each of `signals` into a clean stop: `stop` runs (it lets the write in progress finish and
        /// prevents later ones), then the process exits 130.
        ///
        /// The process exits from the handler because the main thread may be blocked reading standard input,
        /// which no flag can wake; output goes through `write(2)`, so nothing is left in a buffer.
        static func stopCleanly(
            on signals: [(number: Int32, name: String)],
            stop: @escaping @Sendable (String) -> Void
        ) -> [any DispatchSourceSignal] {
            signals.map { number, name in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    stop(name)
                    _exit(130)
                }
                source.resume()
                return source
            }
        }
    }

    /// Moderated batches that finished before an earlier one, held until the writer can take them in order.
    struct ReorderBuffer {
        var next = 0
        var finished: [Int: (LineBatch, BatchOutput?)] = [:]
    }

    struct StreamState {
        /// Batches read but not yet written.
        var unwritten = 0
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
        reviewQueue = try queueDatabase.map { try QueueStore.open($0) }
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
            // One write per batch.
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
