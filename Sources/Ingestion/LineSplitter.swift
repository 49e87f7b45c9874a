internal import Glibc

/// One line as `LineSplitter` read it.
public struct SourceLine: Sendable {
    /// 1-based line number.
    public var number: Int
    /// Byte offset of the line's start in the (decompressed) stream.
    public var offset: Int
    /// The line without its `\n` or `\r\n` (and without a leading byte-order mark); empty when oversized.
    ///
    /// The slice may share the splitter's buffer: keep it past the next read and that read copies the buffer.
    public var bytes: ArraySlice<UInt8>
    /// The line's full length (without its line end) when it was over the limit; its bytes were not kept.
    public var oversizedByteCount: Int?
}

/// Splits a byte source into lines, holding at most one chunk plus one line (up to the limit) in memory.
///
/// Lines end at `\n`; a `\r` before it is dropped. A last line without a newline still counts, and an empty
/// source has no lines. A line longer than `maxLineBytes` is not kept: it is returned with only its length, so
/// memory stays bounded whatever the input.
public struct LineSplitter<Source: ByteSource & ~Copyable>: ~Copyable {
    /// The stream being split.
    public private(set) var source: Source
    /// Lines longer than this many bytes (newline excluded) are returned as oversized.
    public let maxLineBytes: Int
    /// Whether a UTF-8 byte-order mark is dropped from the start of any line, where files were concatenated
    /// (`cat a b`) as well as at the start.
    public var dropsByteOrderMarks = true
    /// Lines returned so far: the last one's number.
    public private(set) var linesRead = 0
    /// Whether the source has ended; buffered lines may remain.
    public private(set) var isSourceAtEnd = false

    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    /// Stream offset of `chunk[0]`.
    private var chunkOffset = 0
    /// The start of a line that crossed a chunk boundary.
    private var pending: [UInt8] = []
    private var pendingOversized: Int?
    /// Whether the last byte added to the pending line was a `\r`, which an oversized line's length leaves out.
    private var pendingEndsInCarriageReturn = false
    /// Whether the last line returned was a slice of `pending`, to be cleared on the next call.
    private var pendingWasReturned = false
    private var lineOffset = 0

    /// Splits `source`, reading `chunkBytes` at a time.
    public init(source: consuming Source, maxLineBytes: Int, chunkBytes: Int = 1 << 20) {
        precondition(chunkBytes > 0, "the chunk must hold something")
        self.source = source
        self.maxLineBytes = maxLineBytes
        self.chunk = [UInt8](repeating: 0, count: chunkBytes)
    }

    /// Compressed or raw bytes taken from the underlying file so far, for progress.
    public var bytesConsumed: Int { source.bytesConsumed }

    /// Bytes held in buffers now: the chunk plus the capacity kept for a line that crosses chunks. Bounded by
    /// `chunkBytes + maxLineBytes` and a little slack, whatever the input.
    public var bufferedByteCapacity: Int { chunk.count + pending.capacity }

    /// Returns the next line, reading from the source as needed, or `nil` at the end.
    public mutating func nextLine() throws(SourceError) -> SourceLine? {
        while true {
            if let line = bufferedLine() { return line }
            if isSourceAtEnd { return nil }
            try fillBuffer()
        }
    }

    /// Returns the next line if it can be had without reading (or the final line once the source has ended),
    /// else `nil`; then `fillBuffer()` reads more. A streaming reader uses this to hand on what it has before
    /// it blocks.
    public mutating func bufferedLine() -> SourceLine? {
        if pendingWasReturned {
            pendingWasReturned = false
            pending.removeAll(keepingCapacity: pending.capacity <= 1 << 16)
        }
        if chunkStart < chunkEnd {
            let found = chunk.withUnsafeBufferPointer { bytes -> Int? in
                // The chunk is never empty (init), so its base address exists.
                let rest = UnsafeRawPointer(bytes.baseAddress! + chunkStart)
                guard let newline = memchr(rest, 0x0A, chunkEnd - chunkStart) else { return nil }
                return rest.distance(to: UnsafeRawPointer(newline)) + chunkStart
            }
            guard let newline = found else {
                keep(chunkStart..<chunkEnd)
                chunkStart = chunkEnd
                return endOfInputLine()
            }
            let start = chunkStart
            chunkStart = newline + 1
            let nextOffset = chunkOffset + chunkStart
            if pending.isEmpty && pendingOversized == nil {
                return finish(chunk[start..<newline], nextOffset: nextOffset)
            }
            keep(start..<newline)
            return finishPending(nextOffset: nextOffset)
        }
        return endOfInputLine()
    }

    /// Reads the next chunk from the source, or notes its end. Call it when `bufferedLine()` returns `nil`.
    public mutating func fillBuffer() throws(SourceError) {
        if chunkStart < chunkEnd {
            keep(chunkStart..<chunkEnd)  // not expected (bufferedLine takes everything), but never lose bytes
        }
        chunkOffset += chunkEnd
        chunkStart = 0
        chunkEnd = 0
        // withUnsafeMutableBytes rethrows untyped errors; a Result carries the typed one through.
        let read = chunk.withUnsafeMutableBytes { bytes in
            Result { () throws(SourceError) in try source.read(into: bytes) }
        }
        let count = try read.get()
        chunkEnd = count
        isSourceAtEnd = count == 0
    }

    /// The last line, without a newline, once the source has ended.
    private mutating func endOfInputLine() -> SourceLine? {
        guard isSourceAtEnd, !pending.isEmpty || pendingOversized != nil else { return nil }
        return finishPending(nextOffset: chunkOffset + chunkEnd)
    }

    /// Adds part of a line to `pending`, or only counts it once the line is too long to keep.
    private mutating func keep(_ range: Range<Int>) {
        if let last = range.last { pendingEndsInCarriageReturn = chunk[last] == 0x0D }
        if let oversized = pendingOversized {
            pendingOversized = oversized + range.count
        } else if pending.count + range.count > maxLineBytes + 1 {
            // One byte of slack for a CR that finish strips.
            pendingOversized = pending.count + range.count
            pending.removeAll()
        } else {
            pending.append(contentsOf: chunk[range])
        }
    }

    private mutating func finishPending(nextOffset: Int) -> SourceLine {
        if let oversized = pendingOversized {
            pendingOversized = nil
            return line(oversized: pendingEndsInCarriageReturn ? oversized - 1 : oversized, nextOffset: nextOffset)
        }
        pendingWasReturned = true
        return finish(pending[...], nextOffset: nextOffset)
    }

    private mutating func finish(_ bytes: ArraySlice<UInt8>, nextOffset: Int) -> SourceLine {
        var line = bytes
        if line.last == 0x0D { line = line.dropLast() }
        if dropsByteOrderMarks, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.count > maxLineBytes { return self.line(oversized: line.count, nextOffset: nextOffset) }
        linesRead += 1
        defer { lineOffset = nextOffset }
        return SourceLine(number: linesRead, offset: lineOffset, bytes: line, oversizedByteCount: nil)
    }

    private mutating func line(oversized: Int, nextOffset: Int) -> SourceLine {
        linesRead += 1
        defer { lineOffset = nextOffset }
        return SourceLine(number: linesRead, offset: lineOffset, bytes: [], oversizedByteCount: oversized)
    }
}
