/// Reads RFC 4180 CSV from a byte source, a record at a time, in bounded memory.
///
/// Fields are separated by commas; a field in double quotes may hold commas, `""` for a quote, and line
/// breaks. Records end at `\n` or `\r\n`. The first record is the header. A UTF-8 byte-order mark at the
/// start is skipped. Where this departs from a strict reading:
///
/// - A quote inside an unquoted field (`5" screen`) is kept as a character, not an error, as spreadsheet
///   exports and Python's `csv` module read it.
/// - A blank line holds no record (as Python's `csv` reads it); a line holding `""` is one empty field.
/// - A problem in one record makes that record an error and reading goes on; see `CSVError`. A quoted field
///   that holds a line break must close properly (its closing quote followed by a comma, a line end or the
///   end of the file) before the record reaches `maxRecordBytes`. If it does not, its opening quote was
///   most likely a stray one: the record is reported as `unterminatedQuote` and reading starts again at the
///   line after the one the quote is on, so a broken quote costs one record, not the rest of the file.
///   Doing so keeps at most `maxRecordBytes` of raw input to read again.
/// - A record over `maxRecordBytes` that is not such a quoted field is skipped to the end of its line.
public struct CSVReader<Source: ByteSource & ~Copyable>: ~Copyable {
    /// The stream being read.
    public private(set) var source: Source
    /// Most raw bytes one record may span, quotes and line breaks included.
    public let maxRecordBytes: Int
    /// The header's fields, once `readHeader()` has read them; `nil` for an empty file.
    public private(set) var header: [String]?
    private var hasReadHeader = false

    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    private var isSourceAtEnd = false
    /// Raw bytes to read again before the chunk, after a broken quote.
    private var replay: [UInt8] = []
    private var replayStart = 0
    /// Raw bytes since the first line break in the current quoted field, kept while `isCapturing`.
    private var capture: [UInt8] = []
    private var isCapturing = false
    /// Where the captured bytes start: the start of the line after the quote's line.
    private var captureStart = Cursor()
    /// Where the next byte is.
    private var cursor = Cursor()
    private var record = CSVRecord(line: 1, offset: 0)

    /// Reads CSV from `source`, `chunkBytes` at a time.
    public init(source: consuming Source, maxRecordBytes: Int = 1 << 20, chunkBytes: Int = 1 << 20) {
        precondition(chunkBytes >= 3, "the chunk must hold a byte-order mark")
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        self.chunk = [UInt8](repeating: 0, count: chunkBytes)
    }

    /// Compressed or raw bytes taken from the underlying file so far, for progress.
    public var bytesConsumed: Int { source.bytesConsumed }

    /// Bytes held in buffers now; bounded by the chunk plus a few times `maxRecordBytes`.
    public var bufferedByteCapacity: Int {
        chunk.count + replay.capacity + capture.capacity + record.storage.capacity
    }

    /// Reads the header row, once, and returns its fields (`nil` for an empty file).
    ///
    /// - Throws: `CSVError.unreadable` when the source fails, or the header row's own problem: without a
    ///   header, no record can be read.
    public mutating func readHeader() throws(CSVError) -> [String]? {
        if hasReadHeader { return header }
        hasReadHeader = true
        let parsed: Parsed
        do throws(SourceError) {
            try skipByteOrderMark()
            parsed = try parseRecord()
        } catch {
            throw .unreadable(error)
        }
        switch parsed {
        case .end: return nil
        case .failure(let error): throw error
        case .record: header = record.fields
        }
        return header
    }

    /// Returns the next record after the header, or why it could not be read, or `nil` at the end.
    ///
    /// A record whose field count differs from the header's is a failure. Reads the header first if
    /// `readHeader()` has not.
    ///
    /// - Throws: `CSVError.unreadable` when the source fails (reading cannot go on), or the header's problem.
    public mutating func nextRecord() throws(CSVError) -> Result<CSVRecord, CSVRecordError>? {
        guard let header = try readHeader() else { return nil }
        let parsed: Parsed
        do throws(SourceError) {
            parsed = try parseRecord()
        } catch {
            throw .unreadable(error)
        }
        switch parsed {
        case .end:
            return nil
        case .failure(let error):
            return .failure(CSVRecordError(line: record.line, offset: record.offset, error: error))
        case .record(let end):
            guard record.count == header.count else {
                let at = record.count > header.count ? record.position(ofField: header.count) : end
                let error = CSVError.wrongFieldCount(
                    line: at.line,
                    column: at.column,
                    expected: header.count,
                    found: record.count
                )
                return .failure(CSVRecordError(line: record.line, offset: record.offset, error: error))
            }
            return .success(record)
        }
    }
}

// MARK: - Parsing

/// A position in the stream.
private struct Cursor {
    var offset = 0
    var line = 1
    var column = 1

    var position: CSVPosition { CSVPosition(line: line, column: column) }
}

private enum Parsed {
    /// A record is in `record`; `end` is where its line break (or the end of input) is.
    case record(end: CSVPosition)
    case failure(CSVError)
    case end
}

/// Where the parser is within a record.
private enum State {
    /// Before a field's first byte.
    case fieldStart
    case unquoted
    case quoted
    /// After a quote inside a quoted field: `""` or the closing quote.
    case quoteInQuoted
    /// After a closing quote and a `\r`: a line end if `\n` follows.
    case carriageReturnAfterQuote
}

private enum Byte {
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
}

extension CSVReader where Source: ~Copyable {
    /// Parses one record into `record`.
    private mutating func parseRecord() throws(SourceError) -> Parsed {
        record.reset(line: cursor.line, offset: cursor.offset)
        var state = State.fieldStart
        var fieldStart = cursor.position
        var quoteStart = cursor.position
        var quoteHasLineBreak = false
        var problem: CSVError?
        while true {
            if cursor.offset - record.offset > maxRecordBytes {
                if quoteHasLineBreak, state == .quoted || state == .quoteInQuoted || state == .carriageReturnAfterQuote
                {
                    return resync(quoteAt: quoteStart)
                }
                return try skipOversizedRecord()
            }
            let at = cursor
            guard let byte = try nextByte() else {
                switch state {
                case .fieldStart where record.count == 0, .unquoted where isBlank:
                    return .end
                case .quoted:
                    return quoteHasLineBreak
                        ? resync(quoteAt: quoteStart)
                        : .failure(.unterminatedQuote(line: quoteStart.line, column: quoteStart.column))
                case .fieldStart, .unquoted, .quoteInQuoted, .carriageReturnAfterQuote:
                    record.endField(startingAt: fieldStart)
                    return problem.map { .failure($0) } ?? .record(end: at.position)
                }
            }
            switch state {
            case .fieldStart, .unquoted:
                if byte == Byte.quote && state == .fieldStart {
                    state = .quoted
                    fieldStart = at.position
                    quoteStart = at.position
                    quoteHasLineBreak = false
                    continue
                }
                if state == .fieldStart {
                    fieldStart = at.position
                    state = .unquoted
                }
                switch byte {
                case Byte.comma:
                    record.endField(startingAt: fieldStart)
                    state = .fieldStart
                    fieldStart = cursor.position
                case Byte.lineFeed:
                    if isBlank {
                        // Nothing but the line break (and perhaps a \r): no record; start over after it.
                        record.reset(line: cursor.line, offset: cursor.offset)
                        state = .fieldStart
                        continue
                    }
                    if record.storage.count > (record.ends.last ?? 0), record.storage.last == Byte.carriageReturn {
                        record.storage.removeLast()  // the \r of \r\n
                    }
                    record.endField(startingAt: fieldStart)
                    return problem.map { .failure($0) } ?? .record(end: at.position)
                default:
                    record.storage.append(byte)  // a quote here is kept as a character
                }
            case .quoted:
                if byte == Byte.quote {
                    state = .quoteInQuoted
                    continue
                }
                record.storage.append(byte)
                if byte == Byte.lineFeed && !quoteHasLineBreak {
                    quoteHasLineBreak = true
                    startCapture()
                }
            case .quoteInQuoted:
                switch byte {
                case Byte.quote:
                    record.storage.append(byte)
                    state = .quoted
                case Byte.comma:
                    stopCapture()
                    record.endField(startingAt: fieldStart)
                    state = .fieldStart
                    fieldStart = cursor.position
                case Byte.lineFeed:
                    stopCapture()
                    record.endField(startingAt: fieldStart)
                    return problem.map { .failure($0) } ?? .record(end: at.position)
                case Byte.carriageReturn:
                    state = .carriageReturnAfterQuote
                default:
                    if quoteHasLineBreak { return resync(quoteAt: quoteStart) }
                    problem = problem ?? .textAfterClosingQuote(line: at.line, column: at.column)
                    record.storage.append(byte)
                    state = .unquoted
                }
            case .carriageReturnAfterQuote:
                if byte == Byte.lineFeed {
                    stopCapture()
                    record.endField(startingAt: fieldStart)
                    return problem.map { .failure($0) } ?? .record(end: at.position)
                }
                if quoteHasLineBreak { return resync(quoteAt: quoteStart) }
                // The \r was one column before this byte.
                problem = problem ?? .textAfterClosingQuote(line: at.line, column: at.column - 1)
                record.storage.append(Byte.carriageReturn)
                if byte == Byte.comma {
                    record.endField(startingAt: fieldStart)
                    state = .fieldStart
                    fieldStart = cursor.position
                } else {
                    record.storage.append(byte)
                    state = .unquoted
                }
            }
        }
    }

    /// Whether the record so far is only an unquoted field holding nothing or a lone `\r`.
    private var isBlank: Bool {
        record.count == 0 && (record.storage.isEmpty || record.storage == [Byte.carriageReturn])
            && cursor.offset - record.offset <= 2
    }

    /// Reports the quoted field opened at `quoteAt` as unterminated and rewinds to the line after it.
    private mutating func resync(quoteAt start: CSVPosition) -> Parsed {
        if isCapturing {
            // The captured bytes come before any not yet replayed, which were read after them.
            capture.append(contentsOf: replay[replayStart...])
            swap(&replay, &capture)
            replayStart = 0
            cursor = captureStart
            stopCapture()
        }
        return .failure(.unterminatedQuote(line: start.line, column: start.column))
    }

    /// Skips the rest of an oversized record's current line and reports it.
    private mutating func skipOversizedRecord() throws(SourceError) -> Parsed {
        stopCapture()
        while let byte = try nextByte(), byte != Byte.lineFeed {}
        return .failure(
            .recordTooLarge(line: record.line, byteCount: cursor.offset - record.offset, limit: maxRecordBytes)
        )
    }

    private mutating func startCapture() {
        isCapturing = true
        captureStart = cursor
    }

    private mutating func stopCapture() {
        isCapturing = false
        capture.removeAll(keepingCapacity: true)  // at most maxRecordBytes
    }

    // MARK: Input

    /// Consumes the next byte, from the replay buffer first, and moves the cursor past it.
    @inline(__always)
    private mutating func nextByte() throws(SourceError) -> UInt8? {
        let byte: UInt8
        if replayStart < replay.count {
            byte = replay[replayStart]
            replayStart += 1
            if replayStart == replay.count {
                replay.removeAll(keepingCapacity: true)
                replayStart = 0
            }
        } else {
            if chunkStart == chunkEnd {
                guard try fill() else { return nil }
            }
            byte = chunk[chunkStart]
            chunkStart += 1
        }
        if isCapturing { capture.append(byte) }
        cursor.offset += 1
        if byte == Byte.lineFeed {
            cursor.line += 1
            cursor.column = 1
        } else if byte & 0xC0 != 0x80 {
            cursor.column += 1
        }
        return byte
    }

    /// Reads the next chunk; returns `false` at the end of the source.
    private mutating func fill() throws(SourceError) -> Bool {
        guard !isSourceAtEnd else { return false }
        chunkStart = 0
        chunkEnd = 0
        chunkEnd = try read(into: 0)
        isSourceAtEnd = chunkEnd == 0
        return !isSourceAtEnd
    }

    /// Reads from the source into the chunk from `start` on; returns the count.
    private mutating func read(into start: Int) throws(SourceError) -> Int {
        // withUnsafeMutableBytes rethrows untyped errors; a Result carries the typed one through.
        let read = chunk.withUnsafeMutableBytes { bytes in
            Result { () throws(SourceError) in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[start...]))
            }
        }
        return try read.get()
    }

    /// Skips a UTF-8 byte-order mark at the start of the stream; the offset still counts it.
    private mutating func skipByteOrderMark() throws(SourceError) {
        // A source may return fewer bytes than asked: read until three are in or the source ends.
        while chunkEnd < 3 && !isSourceAtEnd {
            let count = try read(into: chunkEnd)
            chunkEnd += count
            isSourceAtEnd = count == 0
        }
        if chunkEnd >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF {
            chunkStart = 3
            cursor.offset = 3
        }
    }
}
