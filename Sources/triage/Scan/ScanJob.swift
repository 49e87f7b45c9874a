internal import Dispatch
internal import Engine
internal import Foundation
internal import Moderation
internal import Reporting
internal import ReviewQueue
internal import Synchronization

/// One scan, new or resumed: its folder, its checkpoint and the pipeline that moderates it.
final class ScanJob: @unchecked Sendable {
    /// How a run ended.
    enum Outcome {
        case finished(errors: Int)
        case interrupted
        case failed(String)
    }

    let directory: String
    /// Written by the writer queue only (and read before and after the run).
    private var checkpoint: ScanCheckpoint
    private var summary: ScanSummary
    private let processor: RecordProcessor
    private let isResumed: Bool
    /// The review queue verdicts to review and block also go into (`--queue-db`).
    private let queue: QueueStore?

    private init(directory: String, checkpoint: ScanCheckpoint, summary: ScanSummary, isResumed: Bool) throws {
        let options = checkpoint.options
        var pipeline: Pipeline
        do {
            pipeline = try Pipeline.load(lexicons: options.lexicons ?? "lexicons", policyOverlay: options.policyOverlay)
        } catch {
            throw CommandError.io("\(error)")
        }
        if isResumed, !summary.policyHash.isEmpty, summary.policyHash != pipeline.rules.hash {
            throw CommandError.io(
                "\(directory): the rules changed since this scan started (\(summary.policyHash), now "
                    + "\(pipeline.rules.hash)); start a new scan so that one policy decides all of it"
            )
        }
        pipeline.groupsCampaigns = options.campaigns && pipeline.policyAllowsCampaigns
        pipeline.maxFindings = options.maxFindings ?? Pipeline.defaultMaxFindings
        var processor = RecordProcessor(
            pipeline: pipeline,
            format: .jsonl,
            sourceName: "scan",
            maxRecordBytes: options.maxRecordBytes
        )
        processor.redactsPersonalData = options.redact
        processor.recordsSources = true
        processor.collectsDetails = true
        self.processor = processor
        self.directory = directory
        self.checkpoint = checkpoint
        self.summary = summary
        self.isResumed = isResumed
        do {
            queue = try options.queueDatabase.map { path throws(QueueError) in try QueueStore.open(path) }
        } catch {
            throw CommandError.io("\(error)")
        }
        if self.summary.policyHash.isEmpty { self.summary.policyHash = pipeline.rules.hash }
        if self.summary.engineVersion.isEmpty { self.summary.engineVersion = Pipeline.engineVersion }
    }

    /// A new scan into `directory`, which must not hold one already.
    static func starting(options: ScanOptions, directory: String) throws -> ScanJob {
        if FileManager.default.fileExists(atPath: ScanCheckpoint.path(in: directory)) {
            throw CommandError.io(
                "\(directory): already holds a scan; go on with `triage scan --resume \(directory)`, or choose "
                    + "another folder"
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandError.io("\(directory): cannot create the folder: \(error.localizedDescription)")
        }
        let plan = try ScanPlan(paths: options.paths, format: options.format, excluding: directory)
        var summary = ScanSummary(startedAt: ScanSummary.timestamp(Date()))
        for file in plan.files { summary.addFile(path: file.path) }
        for skipped in plan.skipped { summary.addSkipped(path: skipped.path, reason: skipped.reason) }
        let checkpoint = ScanCheckpoint(options: options, plan: plan)
        return try ScanJob(directory: directory, checkpoint: checkpoint, summary: summary, isResumed: false)
    }

    /// The interrupted scan in `directory`.
    static func resuming(_ directory: String) throws -> ScanJob {
        let checkpoint = try ScanCheckpoint.read(from: directory)
        if checkpoint.finished {
            throw CommandError.io("\(directory): this scan is finished; nothing to resume")
        }
        // The plan's files must be the ones read before, or the position would point elsewhere.
        for file in checkpoint.plan.files[checkpoint.position.file...] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value
            if size != file.size {
                throw CommandError.io("\(file.path): changed since the scan started; start a new scan")
            }
        }
        return try ScanJob(
            directory: directory,
            checkpoint: checkpoint,
            summary: checkpoint.summary,
            isResumed: true
        )
    }

    /// Reads, moderates and writes until the input ends or a signal stops it.
    ///
    /// Three steps overlap as in `filter`: this thread reads batch n+2 while the compute queue moderates
    /// batch n+1 and the writer queue writes batch n, checkpoints it and counts it.
    func run(workers: Int, showsProgress: Bool) -> Outcome {
        let outputs: ScanOutputs
        do {
            outputs = try ScanOutputs(directory: directory, resumingAt: isResumed ? checkpoint.outputLengths : nil)
        } catch {
            return .failed("\(error)")
        }
        defer { outputs.close() }
        let started = Date()
        let secondsBefore = summary.seconds
        let recordsBefore = summary.records
        let reader = ScanReader(plan: checkpoint.plan, options: checkpoint.options, from: checkpoint.position)
        let bar = showsProgress ? ProgressBar(totalBytes: checkpoint.plan.totalBytes) : nil
        if isResumed {
            warn(
                "resuming \(directory): \(summary.records) records done, file \(checkpoint.position.file + 1) of \(checkpoint.plan.files.count)"
            )
        }

        let compute = DispatchQueue(label: "triage.scan.compute")
        let writer = DispatchQueue(label: "triage.scan.writer")
        let inFlight = DispatchSemaphore(value: 3)  // batches read but not yet written: bounds memory
        let stop = Mutex<String?>(nil)  // why the run stops early: a signal's name, or a failure
        let failed = Mutex(false)
        let lastCheckpoint = Mutex(Date.distantPast)
        let signals = Self.watchSignals { name in stop.withLock { $0 = $0 ?? name } }
        defer { for source in signals { source.cancel() } }

        while stop.withLock({ $0 == nil }) {
            guard let (batch, end) = reader.nextBatch() else { break }
            inFlight.wait()
            compute.async { [processor] in
                let moderated = processor.moderate(batch, workers: workers)
                writer.async {
                    defer { inFlight.signal() }
                    guard !failed.withLock({ $0 }) else { return }
                    let output = processor.settleCampaigns(moderated, batch: batch, workers: workers)
                    do {
                        try outputs.append(output)
                        // After the outputs: a record re-done after a crash is imported again, and the
                        // queue recognises it (its external id), so it is never in the queue twice.
                        try self.queue?.importVerdicts(lines: output.queueLines, now: Date())
                        self.count(output, batch: batch)
                        self.checkpoint.position = end
                        self.checkpoint.outputLengths = outputs.lengths
                        // Any checkpoint is consistent with the outputs, so one a second is enough: a crash
                        // costs at most a second of work again.
                        let now = Date()
                        if now.timeIntervalSince(lastCheckpoint.withLock { $0 }) >= 1 {
                            self.summary.seconds = secondsBefore + now.timeIntervalSince(started)
                            self.checkpoint.summary = self.summary
                            try self.checkpoint.write(to: self.directory)
                            lastCheckpoint.withLock { $0 = now }
                        }
                        bar?.update(bytes: end.bytes, records: self.summary.records - recordsBefore)
                    } catch {
                        failed.withLock { $0 = true }
                        stop.withLock { $0 = "\(error)" }
                    }
                }
            }
        }
        compute.sync {}
        writer.sync {}
        bar?.update(bytes: checkpoint.position.bytes, records: summary.records - recordsBefore, force: true)
        bar?.finish()
        let reason = stop.withLock { $0 }
        if failed.withLock({ $0 }) { return .failed(reason ?? "the scan failed") }
        summary.seconds = secondsBefore + Date().timeIntervalSince(started)
        let interrupted = reason != nil
        if !interrupted {
            summary.finishedAt = ScanSummary.timestamp(Date())
            checkpoint.finished = true
        }
        checkpoint.summary = summary
        do {
            try checkpoint.write(to: directory)
            try summary.write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try HTMLReport.render(summary).write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        } catch {
            return .failed("\(directory): cannot write the summary or the report: \(error)")
        }
        let throughput = summary.throughput
        let line =
            "\(summary.records) records (\(summary.actions.allow) allow, \(summary.actions.review) review, "
            + "\(summary.actions.block) block, \(summary.errors) errors) from \(summary.files.count) files"
            + (summary.skipped.isEmpty ? "" : ", \(summary.skipped.count) skipped")
            + String(
                format: " in %.1f s (%.1f MB/s, %.0f posts/s) → %@",
                throughput.seconds,
                throughput.megabytesPerSecond,
                throughput.postsPerSecond,
                directory
            )
        warn(line)
        if let reason, interrupted {
            warn("stopped by \(reason); go on with: triage scan --resume \(directory)")
            return .interrupted
        }
        return .finished(errors: summary.errors)
    }

    /// Adds one batch's records to the summary.
    ///
    /// Most records are allowed with nothing found: those are tallied per file, role and surface and counted
    /// once per batch (`ScanSummary.count`), so the writer's serial work stays small.
    private func count(_ output: BatchOutput, batch: LineBatch) {
        struct PlainAllow: Hashable {
            var file: String
            var role: Role
            var surface: Surface
        }
        var plainAllows: [PlainAllow: (records: Int, bytes: Int)] = [:]
        for (index, line) in batch.lines.enumerated() {
            let file = line.source >= 0 ? batch.sources[Int(line.source)] : "scan"
            let bytes = (line.oversizedBytes ?? line.range.count) + 1
            guard index < output.details.count, let detail = output.details[index] else {
                summary.add(record: .error(file: file, line: line.number, bytes: bytes, id: "\(file):\(line.number)"))
                continue
            }
            let verdict = detail.verdict
            if verdict.action == .allow, verdict.findings.isEmpty, verdict.campaign == nil {
                let key = PlainAllow(file: file, role: detail.context.authorRole, surface: detail.context.surface)
                plainAllows[key, default: (0, 0)].records += 1
                plainAllows[key, default: (0, 0)].bytes += bytes
                continue
            }
            summary.add(
                record: ScanRecordSummary(
                    file: file,
                    line: line.number,
                    bytes: bytes,
                    id: detail.id,
                    verdict: verdict,
                    context: detail.context,
                    text: detail.text ?? ""
                )
            )
        }
        for (key, tally) in plainAllows {
            summary.count(
                .allow,
                records: tally.records,
                bytes: tally.bytes,
                file: key.file,
                authorRole: key.role,
                surface: key.surface
            )
        }
    }

    /// Turns SIGINT and SIGTERM into a clean stop: `stop` is called with the signal's name.
    private static func watchSignals(_ stop: @escaping @Sendable (String) -> Void) -> [any DispatchSourceSignal] {
        [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop(name) }
            source.resume()
            return source
        }
    }
}
