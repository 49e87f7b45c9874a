public import Moderation

/// One input line as the reader saw it.
public struct InputLine: Sendable {
    /// Byte range of the line in its batch's storage, without the newline.
    public var range: Range<Int>
    /// 1-based line number in the source.
    public var number: Int
    /// The line's full length when it was over the record size limit; its bytes were not kept.
    public var oversizedBytes: Int?

    public init(range: Range<Int>, number: Int, oversizedBytes: Int? = nil) {
        self.range = range
        self.number = number
        self.oversizedBytes = oversizedBytes
    }
}

/// Lines read together, stored in one buffer: the unit of parallel work.
public struct LineBatch: Sendable {
    /// The lines' bytes, back to back.
    public var storage: [UInt8] = []
    /// The lines, in input order.
    public var lines: [InputLine] = []

    public init() {}

    /// Appends a complete line.
    ///
    /// Not generic on purpose: called once per input line from another module, a generic would run
    /// unspecialized, looking up type metadata on every call.
    public mutating func append(_ bytes: ArraySlice<UInt8>, number: Int) {
        let start = storage.count
        storage.append(contentsOf: bytes)
        lines.append(InputLine(range: start..<storage.count, number: number))
    }

    /// Appends a complete line.
    public mutating func append(_ bytes: [UInt8], number: Int) {
        append(bytes[...], number: number)
    }

    /// Appends a line that was over the size limit, keeping only its length.
    public mutating func appendOversized(byteCount: Int, number: Int) {
        lines.append(InputLine(range: storage.count..<storage.count, number: number, oversizedBytes: byteCount))
    }
}

/// What became of one record.
public struct RecordSummary: Sendable {
    /// The verdict's action; error records are `.review`.
    public var action: Action
    /// Whether the record could not be read and became an error record.
    public var isError: Bool
    /// The record's output line in the batch output: bytes `previous end..<end`, newline included.
    public var end: Int
}

/// The output of one batch, in input order.
public struct BatchOutput: Sendable {
    /// Output lines, back to back, each ending in a newline.
    public var bytes: [UInt8] = []
    /// One summary per input line.
    public var records: [RecordSummary] = []
    /// One message per error record, for stderr: `source:line:column: reason`.
    public var messages: [String] = []
    /// Records long enough to belong to a campaign, by index in `records`: settled in input order once the
    /// batch's slices are merged.
    var campaignCandidates: [(record: Int, candidate: CampaignCandidate)] = []

    public init() {}

    /// Calls `body` with each record's summary and output line.
    public func forEachRecord(_ body: (RecordSummary, ArraySlice<UInt8>) -> Void) {
        var start = 0
        for record in records {
            body(record, bytes[start..<record.end])
            start = record.end
        }
    }
}

/// What the campaign pass needs to re-decide and re-encode a record that joins a group.
struct CampaignCandidate: Sendable {
    var signature: MinHashSignature
    var author: String
    var moderated: Moderated
    var context: PostContext
    var createdAt: String?
    var line: Int
    var missingID: String?
    var postID: String
    var bodyRange: Range<Int>?
}
