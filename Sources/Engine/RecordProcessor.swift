internal import Foundation
internal import Ingestion
internal import Moderation
internal import Normalization

/// How input lines are read.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One JSON object per line, with at least a `body`.
    case jsonl
    /// One post body per line, as plain text.
    case text
    /// One HTML document per record: a whole file, in a scan; its id is its source.
    case html
}

/// Turns batches of input lines into output lines: one verdict or one error record per line, in order.
public struct RecordProcessor: Sendable {
    /// The stages.
    public let pipeline: Pipeline
    /// How lines are read.
    public let format: InputFormat
    /// The source's name in ids and messages (`stdin`, a file path).
    public let sourceName: String
    /// Lines longer than this many bytes become error records.
    public let maxRecordBytes: Int
    /// Whether personal data in the emitted text is replaced by placeholders (`[EMAIL]`, `[CARD]`…).
    public var redactsPersonalData = false
    /// Whether each verdict says where its record was read (`moderation.source`: file and line), as a scan
    /// of many files needs.
    public var recordsSources = false
    /// Whether outputs carry `details` (verdicts and contexts) for a summary.
    public var collectsDetails = false

    private let encoder: VerdictEncoder
    /// Normalization caches of finished slices, handed to the next ones (one per worker at most in use).
    private let normalizationCaches = SharedCaches()
    /// Near-identical posts seen so far, across batches.
    private let campaigns = CampaignTracker()
    /// Whether near-identical posts are grouped (the pipeline then signs each post).
    public var groupsCampaigns: Bool { pipeline.groupsCampaigns }

    public init(pipeline: Pipeline, format: InputFormat, sourceName: String, maxRecordBytes: Int) {
        self.pipeline = pipeline
        self.encoder = VerdictEncoder(policyHash: pipeline.rules.hash)
        self.format = format
        self.sourceName = sourceName
        self.maxRecordBytes = maxRecordBytes
    }

    /// Processes `batch` on up to `workers` threads and returns the output in input order.
    ///
    /// The batch is cut into slices (`inSlices`), each with its own PCRE2 scratch and output buffer; the
    /// only other shared mutable state is the stack of normalization caches, behind a lock taken once per
    /// slice.
    public func process(_ batch: LineBatch, workers: Int) -> BatchOutput {
        settleCampaigns(moderate(batch, workers: workers), batch: batch, workers: workers)
    }

    /// Moderates `batch` like `process`, but leaves campaigns to `settleCampaigns`, so that a caller can run
    /// that serial step on another thread while the next batch is moderated.
    public func moderate(_ batch: LineBatch, workers: Int) -> BatchOutput {
        let outputs = inSlices(of: batch.lines.count, workers: workers) { process(batch, lines: $0) }
        if outputs.count == 1 { return outputs[0] }
        // Sized once: appending slice after slice to an empty buffer copied the batch's output two or three
        // times over as it grew, on fresh pages each time.
        var merged = BatchOutput()
        merged.encoded.reserveCapacity(outputs.reduce(0) { $0 + $1.encoded.count })
        merged.records.reserveCapacity(outputs.reduce(0) { $0 + $1.records.count })
        merged.campaignCandidates.reserveCapacity(outputs.reduce(0) { $0 + $1.campaignCandidates.count })
        for output in outputs {
            let offset = merged.encoded.count
            merged.encoded.append(contentsOf: output.encoded)
            merged.records.append(
                contentsOf: output.records.map {
                    RecordSummary(action: $0.action, isError: $0.isError, end: $0.end + offset)
                }
            )
            let recordOffset = merged.records.count - output.records.count
            merged.campaignCandidates.append(
                contentsOf: output.campaignCandidates.map {
                    (record: $0.record + recordOffset, candidate: $0.candidate)
                }
            )
            merged.messages.append(contentsOf: output.messages)
            merged.details.append(contentsOf: output.details)
        }
        return merged
    }

    /// Assigns campaigns in input order (a cheap, serial step). A record that joins a campaign gets the
    /// campaign added to its encoded line; one whose campaign now counts as spam (`Pipeline.joining`) has its
    /// verdict decided again from the findings it already has, on `workers` threads, and encoded again. The
    /// batch's output is then assembled once, in order, with the changed lines in place.
    public func settleCampaigns(_ output: BatchOutput, batch: LineBatch, workers: Int) -> BatchOutput {
        guard !output.campaignCandidates.isEmpty else { return output }
        var settledOutput = output
        settledOutput.campaignCandidates = []
        var joined: [(record: Int, campaign: CampaignInfo)] = []
        var decideAgain: [(record: Int, line: Int, member: PendingMember, campaign: CampaignInfo)] = []
        let candidates = output.campaignCandidates
        campaigns.assign(
            candidates.count,
            signature: { candidates[$0].candidate.signature },
            author: { candidates[$0].candidate.author },
            joined: { index, campaign in
                let (record, candidate) = candidates[index]
                if campaign.authors >= Pipeline.campaignAuthors, let member = candidate.member {
                    decideAgain.append((record, candidate.line, member, campaign))
                } else {
                    joined.append((record, campaign))
                    if collectsDetails { settledOutput.details[record]?.verdict.campaign = campaign }
                }
            }
        )
        guard !joined.isEmpty || !decideAgain.isEmpty else { return settledOutput }
        let settled = decideAgain
        let slices = inSlices(of: settled.count, workers: workers) { range in
            batch.storage.withUnsafeBufferPointer { storage in
                settled[range].map { record, lineIndex, member, campaign in
                    let post = member.post
                    var moderated = pipeline.joining(
                        campaign,
                        member.moderated,
                        context: post.context,
                        createdAt: post.createdAt
                    )
                    moderated.verdict.source = member.moderated.verdict.source
                    var bytes: [UInt8] = []
                    encode(
                        moderated,
                        format: member.format,
                        record: UnsafeBufferPointer(rebasing: storage[batch.lines[lineIndex].range]),
                        postID: post.id,
                        missingID: member.missingID,
                        bodyRange: member.bodyRange,
                        into: &bytes
                    )
                    let detail = collectsDetails ? detail(of: moderated, post: post) : nil
                    return (record: record, bytes: bytes, action: moderated.verdict.action, detail: detail)
                }
            }
        }
        var decided: [(record: Int, bytes: [UInt8])] = []
        decided.reserveCapacity(settled.count)
        for slice in slices {
            for (record, bytes, action, detail) in slice {
                decided.append((record, bytes))
                settledOutput.records[record].action = action
                if collectsDetails { settledOutput.details[record] = detail }
            }
        }
        // One pass over the batch, in record order, copying untouched runs of lines whole: a copy per batch
        // costs less than a buffer per changed line.
        var encoded: [UInt8] = []
        encoded.reserveCapacity(output.encoded.count + joined.count * 96 + decided.count * 256)
        var copied = 0  // bytes of `output.encoded` already taken
        var shift = 0  // how far the lines after the last changed one moved
        var (nextJoined, nextDecided) = (0, 0)
        for record in output.records.indices {
            let isJoined = nextJoined < joined.count && joined[nextJoined].record == record
            let isDecided = nextDecided < decided.count && decided[nextDecided].record == record
            if isJoined || isDecided {
                let start = record == 0 ? 0 : output.records[record - 1].end
                let end = output.records[record].end
                encoded.append(contentsOf: output.encoded[copied..<start])
                if isDecided {
                    encoded.append(contentsOf: decided[nextDecided].bytes)
                    nextDecided += 1
                } else {
                    // The line ends `}}` and a newline: the campaign goes inside `moderation`, last.
                    encoded.append(contentsOf: output.encoded[start..<(end - 3)])
                    VerdictEncoder.appendCampaign(joined[nextJoined].campaign, to: &encoded)
                    encoded.append(contentsOf: output.encoded[(end - 3)..<end])
                    nextJoined += 1
                }
                copied = end
                shift = encoded.count - end
            }
            settledOutput.records[record].end = output.records[record].end + shift
        }
        encoded.append(contentsOf: output.encoded[copied...])
        settledOutput.encoded = encoded
        return settledOutput
    }

    private func process(_ batch: LineBatch, lines: Range<Int>) -> BatchOutput {
        var output = BatchOutput()
        output.encoded.reserveCapacity(batch.lines[lines].reduce(0) { $0 + $1.range.count } + lines.count * 400)
        var scratch = pipeline.makeScratch()
        // The normalization cache is worth keeping from slice to slice: refilling it costs a Foundation
        // normalization call per distinct non-ASCII character.
        if let cache = normalizationCaches.take() { scratch.normalization = cache }
        batch.storage.withUnsafeBufferPointer { storage in
            for lineIndex in lines {
                let line = batch.lines[lineIndex]
                let bytes = UnsafeBufferPointer(rebasing: storage[line.range])
                process(line: line, of: batch, index: lineIndex, bytes: bytes, into: &output, using: &scratch)
            }
        }
        normalizationCaches.give(scratch.normalization)
        return output
    }

    private func process(
        line: InputLine,
        of batch: LineBatch,
        index lineIndex: Int,
        bytes: UnsafeBufferPointer<UInt8>,
        into output: inout BatchOutput,
        using scratch: inout Pipeline.Scratch
    ) {
        let sourceName = line.source >= 0 ? batch.sources[Int(line.source)] : self.sourceName
        let format = batch.format ?? self.format
        if let reason = line.readError {
            return fail(line, source: sourceName, column: line.number == 0 ? 0 : 1, reason, raw: bytes, into: &output)
        }
        if let oversized = line.oversizedBytes {
            return fail(
                line,
                source: sourceName,
                column: 1,
                "record is \(oversized) bytes, over the limit of \(maxRecordBytes) (--max-record-bytes)",
                raw: bytes,
                into: &output
            )
        }
        if let invalid = UTF8Validation.firstInvalidOffset(bytes) {
            let column = UTF8Validation.column(ofByte: invalid, in: bytes)
            return fail(
                line,
                source: sourceName,
                column: column,
                "invalid UTF-8 at byte \(invalid + 1)",
                raw: bytes,
                into: &output
            )
        }
        let post: Post
        var fields = RecordFields()
        switch format {
        case .text:
            post = Post(id: "\(sourceName):\(line.number)", body: String(decoding: bytes, as: UTF8.self))
        case .html:
            post = Post(id: sourceName, body: String(decoding: bytes, as: UTF8.self), format: .html)
        case .jsonl:
            do {
                fields = try JSONRecordScanner.scan(bytes)
            } catch {
                let column = UTF8Validation.column(ofByte: error.offset, in: bytes)
                let reason = bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? "empty line" : "not JSON: \(error.reason)"
                return fail(line, source: sourceName, column: column, reason, raw: bytes, into: &output)
            }
            guard let body = fields.body else {
                return fail(
                    line,
                    source: sourceName,
                    column: 1,
                    "record has no \"body\" string",
                    raw: bytes,
                    into: &output
                )
            }
            let format: BodyFormat
            switch fields.format {
            case nil, "text", "plain": format = .text
            case "html": format = .html
            case let other?:
                return fail(
                    line,
                    source: sourceName,
                    column: 1,
                    "unknown \"format\" '\(other)'; expected text or html",
                    raw: bytes,
                    into: &output
                )
            }
            post = Post(
                id: fields.id ?? "\(sourceName):\(line.number)",
                body: body,
                format: format,
                context: PostContext(
                    authorRole: fields.authorRole.flatMap(Role.init(rawValue:)) ?? .unknown,
                    recipientRole: fields.recipientRole.flatMap(Role.init(rawValue:)) ?? .unknown,
                    surface: fields.surface.flatMap(Surface.init(rawValue:)) ?? .unknown,
                    authorAccountAgeDays: fields.authorAccountAgeDays
                ),
                createdAt: fields.createdAt
            )
        }
        var moderated: Moderated
        do {
            moderated = try pipeline.moderate(post, using: &scratch)
        } catch {
            return fail(line, source: sourceName, column: 1, "\(error)", raw: bytes, into: &output)
        }
        if recordsSources { moderated.verdict.source = RecordLocation(file: sourceName, line: line.number) }
        let missingID = format == .jsonl && fields.id == nil ? post.id : nil
        encode(
            moderated,
            format: format,
            record: bytes,
            postID: post.id,
            missingID: missingID,
            bodyRange: fields.bodyRange,
            into: &output.encoded
        )
        if let signature = moderated.signature {
            let member =
                Pipeline.hasCampaignCue(moderated)
                ? PendingMember(
                    moderated: moderated,
                    post: post,
                    missingID: missingID,
                    bodyRange: fields.bodyRange,
                    format: format
                ) : nil
            let candidate = CampaignCandidate(
                signature: signature,
                author: CampaignTracker.authorHash(fields.authorID ?? post.id),
                member: member,
                line: lineIndex
            )
            output.campaignCandidates.append((output.records.count, candidate))
        }
        output.records.append(
            RecordSummary(action: moderated.verdict.action, isError: false, end: output.encoded.count)
        )
        if collectsDetails { output.details.append(detail(of: moderated, post: post)) }
    }

    /// What a scan's summary keeps of a moderated record.
    private func detail(of moderated: Moderated, post: Post) -> RecordDetail {
        RecordDetail(
            id: post.id,
            verdict: moderated.verdict,
            context: post.context,
            text: moderated.verdict.action == .allow ? nil : moderated.parsed.text
        )
    }

    private func encode(
        _ moderated: Moderated,
        format: InputFormat,
        record bytes: UnsafeBufferPointer<UInt8>,
        postID: String,
        missingID: String?,
        bodyRange: Range<Int>?,
        into output: inout [UInt8]
    ) {
        var moderated = moderated
        var redactedBody: (range: Range<Int>, text: String)?
        if redactsPersonalData, let redacted = Redaction.redacted(moderated) {
            moderated = redacted
            switch (moderated.parsed.field, format) {
            case (_, .html), (.body, .text):
                // A new record is written: its body is the redacted (visible) text.
                var text = redacted.parsed.text
                text.withUTF8 { encoder.wrap(moderated, id: postID, body: $0, output: &output) }
                return
            case (.text, _), (.body, .jsonl):
                // HTML too: its markup would still hold the data, so the body becomes the redacted visible
                // text, which `moderation.text` also carries.
                if let bodyRange { redactedBody = (bodyRange, redacted.parsed.text) }
            case (.link, _):
                break
            }
        }
        switch format {
        case .jsonl:
            encoder.splice(moderated, into: bytes, missingID: missingID, redactedBody: redactedBody, output: &output)
        case .text, .html: encoder.wrap(moderated, id: postID, body: bytes, output: &output)
        }
    }

    private func fail(
        _ line: InputLine,
        source sourceName: String,
        column: Int,
        _ reason: String,
        raw: UnsafeBufferPointer<UInt8>,
        into output: inout BatchOutput
    ) {
        // Line 0 is the file as a whole (it could not be opened).
        let location = line.number == 0 ? sourceName : "\(sourceName):\(line.number):\(column)"
        encoder.error(
            source: sourceName,
            line: line.number,
            column: column,
            reason: reason,
            raw: raw,
            output: &output.encoded
        )
        output.records.append(RecordSummary(action: .review, isError: true, end: output.encoded.count))
        if collectsDetails { output.details.append(nil) }
        output.messages.append("\(location): \(reason)")
    }
}

/// A lock-protected stack of normalization caches, shared by the slices of every batch.
///
/// The lock is an `NSLock` (a pthread mutex), not `Synchronization.Mutex`: a contended `Mutex` waits and wakes
/// through a priority-inheritance futex inside the standard library, which is not built with ThreadSanitizer, so
/// TSan never sees one slice hand a cache to the next and reports the cache's dictionaries, written by one worker
/// and then by another, as a data race (`make tsan`). TSan does intercept pthread mutexes.
final class SharedCaches: @unchecked Sendable {
    // @unchecked: `caches` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var caches: [NormalizationScratch] = []

    /// A cache a finished slice left, if any.
    func take() -> NormalizationScratch? { lock.withLock { caches.popLast() } }

    /// Leaves `cache` for the next slice.
    func give(_ cache: NormalizationScratch) { lock.withLock { caches.append(cache) } }
}
