public import Moderation

/// One input line as the reader saw it.
public struct InputLine: Sendable {
    /// Byte range of the line in its batch's storage, without the newline.
    public var range: Range<Int>
    /// 1-based line number in the source.
    public var number: Int
    /// The line's full length when it was over the record size limit; its bytes were not kept.
    public var oversizedBytes: Int?
    /// The line's source in its batch's `sources`, or -1 for the processor's own source name.
    public var source: Int32 = -1
    /// Why the record could not be read at all (a file that cannot be opened, corrupt compressed data, a
    /// broken CSV record): it becomes an error record with this reason. Line 0 means the whole file.
    public var readError: String?

    public init(range: Range<Int>, number: Int, oversizedBytes: Int? = nil, source: Int32 = -1) {
        self.range = range
        self.number = number
        self.oversizedBytes = oversizedBytes
        self.source = source
    }
}

/// Lines read together, stored in one buffer: the unit of parallel work.
public struct LineBatch: Sendable {
    /// The lines' bytes, back to back.
    public var storage: [UInt8] = []
    /// The lines, in input order.
    public var lines: [InputLine] = []
    /// The files lines came from, when a batch holds lines of several (`InputLine.source` indexes it).
    public var sources: [String] = []
    /// How the lines are read, when not the processor's format (a scan mixes files of every kind).
    public var format: InputFormat?

    public init(format: InputFormat? = nil) {
        self.format = format
    }

    /// Makes `name` the source of the lines appended next.
    public mutating func beginSource(_ name: String) {
        if sources.last != name { sources.append(name) }
    }

    /// Appends a complete line.
    ///
    /// Not generic on purpose: called once per input line from another module, a generic would run
    /// unspecialized, looking up type metadata on every call.
    public mutating func append(_ bytes: ArraySlice<UInt8>, number: Int) {
        let start = storage.count
        storage.append(contentsOf: bytes)
        lines.append(InputLine(range: start..<storage.count, number: number, source: Int32(sources.count) - 1))
    }

    /// Appends a complete line.
    public mutating func append(_ bytes: [UInt8], number: Int) {
        append(bytes[...], number: number)
    }

    /// Appends a record that could not be read, with the reason; it becomes an error record.
    public mutating func appendError(_ reason: String, number: Int) {
        var line = InputLine(range: storage.count..<storage.count, number: number, source: Int32(sources.count) - 1)
        line.readError = reason
        lines.append(line)
    }

    /// Appends a line that was over the size limit, keeping only its length.
    public mutating func appendOversized(byteCount: Int, number: Int) {
        lines.append(
            InputLine(
                range: storage.count..<storage.count,
                number: number,
                oversizedBytes: byteCount,
                source: Int32(sources.count) - 1
            )
        )
    }
}

/// What became of one record.
public struct RecordSummary: Sendable {
    /// The verdict's action; error records are `.review`.
    public var action: Action
    /// Whether the record could not be read and became an error record.
    public var isError: Bool
    /// Where the record's output line ends in the batch's encoded output (`previous end..<end`, newline
    /// included); a replaced line is elsewhere.
    public var end: Int
}

/// The four files a batch's records are routed to: one per action, and one for error records.
public enum RecordQueue: Int, CaseIterable, Sendable {
    case allow, review, block, errors

    /// The queue's file name without `.jsonl`.
    public var name: String { String(describing: self) }
}

extension RecordSummary {
    /// The queue this record goes to: its action's, or `errors` for an error record.
    public var queue: RecordQueue {
        if isError { return .errors }
        switch action {
        case .allow: return .allow
        case .review: return .review
        case .block: return .block
        }
    }
}

/// The output of one batch, in input order.
public struct BatchOutput: Sendable {
    /// Output lines, back to back, each ending in a newline (the campaign pass rewrites the lines it changes).
    var encoded: [UInt8] = []
    /// One summary per input line; `end` is an offset into `encoded`.
    public var records: [RecordSummary] = []
    /// One message per error record, for stderr: `source:line:column: reason`.
    public var messages: [String] = []
    /// Records long enough to belong to a campaign, by index in `records`: settled in input order once the
    /// batch's slices are merged.
    var campaignCandidates: [(record: Int, candidate: CampaignCandidate)] = []
    /// Each record's verdict and context, by index in `records` (`nil` for an error record), when the
    /// processor `collectsDetails`: what a scan's summary counts, without parsing its own output again.
    public var details: [RecordDetail?] = []

    public init() {}

    /// All output lines, back to back.
    public var bytes: [UInt8] { encoded }

    /// The output lines of each queue, back to back, indexed by `RecordQueue.rawValue`.
    public func linesByQueue() -> [[UInt8]] {
        var lines = [[UInt8]](repeating: [], count: RecordQueue.allCases.count)
        forEachRecord { record, line in lines[record.queue.rawValue].append(contentsOf: line) }
        return lines
    }

    /// Calls `body` with each record's summary and output line.
    public func forEachRecord(_ body: (RecordSummary, ArraySlice<UInt8>) -> Void) {
        var start = 0
        for record in records {
            body(record, encoded[start..<record.end])
            start = record.end
        }
    }
}

/// What the campaign pass needs of a record: its signature, its author and where to find it again.
struct CampaignCandidate: Sendable {
    var signature: MinHashSignature
    /// The author id's hash (`CampaignTracker.authorHash`).
    var author: UInt64
    /// The record as moderated, kept when the post carries what makes a copied post spam
    /// (`Pipeline.hasCampaignCue`): joining a campaign may change its verdict.
    var member: PendingMember?
    /// The record's line in its batch.
    var line: Int
}

/// A moderated record kept until its batch's campaigns are settled, so that joining a spam campaign decides
/// its verdict again from its findings instead of moderating the record a second time.
///
/// A class: candidates are copied as slices merge, and a reference copies in one word what the record's
/// verdict, text and post would copy in hundreds of bytes.
final class PendingMember: Sendable {
    let moderated: Moderated
    let post: Post
    /// The id written into a record that had none.
    let missingID: String?
    /// Where the body string sits in the input line, for `--redact`.
    let bodyRange: Range<Int>?
    let format: InputFormat

    init(moderated: Moderated, post: Post, missingID: String?, bodyRange: Range<Int>?, format: InputFormat) {
        self.moderated = moderated
        self.post = post
        self.missingID = missingID
        self.bodyRange = bodyRange
        self.format = format
    }
}

/// What a scan's summary needs of one moderated record.
public struct RecordDetail: Sendable {
    /// The post's id.
    public var id: String
    /// The decision, with its findings, campaign and source.
    public var verdict: Verdict
    /// Who wrote it, to whom, where.
    public var context: PostContext
    /// The analysed text (the body, or the visible text of HTML), kept for records not allowed.
    public var text: String?
}
