/// A place in a CSV file: 1-based line, and 1-based column counted in code points (an invalid byte counts
/// as one), as the engine counts columns in its messages.
public struct CSVPosition: Sendable, Equatable {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in code points.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// One CSV record: its fields' bytes (quotes removed, `""` resolved) and where it starts.
public struct CSVRecord: Sendable {
    /// The line the record starts on; a record whose quoted fields hold line breaks spans more.
    public internal(set) var line: Int
    /// Byte offset of the record's start in the (decompressed) stream.
    public internal(set) var offset: Int
    /// The fields' bytes, back to back.
    var storage: [UInt8] = []
    /// Where each field ends in `storage`.
    var ends: [Int] = []
    /// Where each field starts in the file (at its opening quote, if quoted).
    var starts: [CSVPosition] = []

    init(line: Int, offset: Int) {
        self.line = line
        self.offset = offset
    }

    /// The number of fields.
    public var count: Int { ends.count }

    /// The bytes of field `index`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        storage[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// Where field `index` starts in the file.
    public func position(ofField index: Int) -> CSVPosition { starts[index] }

    /// Every field as a string, invalid UTF-8 replaced by U+FFFD.
    public var fields: [String] { (0..<count).map { String(decoding: self[$0], as: UTF8.self) } }

    /// Empties the record for reuse, keeping its buffers.
    mutating func reset(line: Int, offset: Int) {
        self.line = line
        self.offset = offset
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// Ends the field that started at `start`.
    mutating func endField(startingAt start: CSVPosition) {
        ends.append(storage.count)
        starts.append(start)
    }
}

/// Why a CSV record, or a CSV file, could not be read.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// A quoted field never closed properly: the file ended, or its closing quote was followed by text, after
    /// a line break inside it, or it grew past the record limit. Reading resumed at the line after its start.
    case unterminatedQuote(line: Int, column: Int)
    /// A quoted field's closing quote is followed by something other than a comma or the record's end:
    /// `"ab"c`. The record is read to its end and reported; the next one is unaffected.
    case textAfterClosingQuote(line: Int, column: Int)
    /// The record has a different number of fields than the header. The position is that of the first
    /// extra field, or of the record's end when fields are missing.
    case wrongFieldCount(line: Int, column: Int, expected: Int, found: Int)
    /// The record is over the size limit; it was skipped to the end of its last line.
    case recordTooLarge(line: Int, byteCount: Int, limit: Int)
    /// A field used for the engine's record is not valid UTF-8.
    case invalidUTF8(line: Int, column: Int, columnName: String)
    /// A column named for the body or the id is not in the header.
    case missingColumn(name: String, available: [String])
    /// The bytes could not be read at all (I/O or gzip); not a per-record problem.
    case unreadable(SourceError)

    /// The line the problem is on, when it has one.
    public var line: Int? {
        switch self {
        case .unterminatedQuote(let line, _), .textAfterClosingQuote(let line, _),
            .wrongFieldCount(let line, _, _, _), .recordTooLarge(let line, _, _), .invalidUTF8(let line, _, _):
            line
        case .missingColumn, .unreadable: nil
        }
    }

    /// The column the problem is at (code points, 1-based), when it has one.
    public var column: Int? {
        switch self {
        case .unterminatedQuote(_, let column), .textAfterClosingQuote(_, let column),
            .wrongFieldCount(_, let column, _, _), .invalidUTF8(_, let column, _):
            column
        case .recordTooLarge: 1
        case .missingColumn, .unreadable: nil
        }
    }

    public var description: String {
        switch self {
        case .unterminatedQuote(let line, let column):
            "unterminated quoted field starting at line \(line), column \(column)"
        case .textAfterClosingQuote(let line, let column):
            "text after the closing quote at line \(line), column \(column) (a quote inside a quoted field is "
                + "written twice)"
        case .wrongFieldCount(let line, let column, let expected, let found):
            "record has \(found) fields where the header has \(expected) (line \(line), column \(column))"
        case .recordTooLarge(let line, let byteCount, let limit):
            "record starting at line \(line) is over the limit of \(limit) bytes (\(byteCount) bytes skipped)"
        case .invalidUTF8(let line, let column, let columnName):
            "the \"\(columnName)\" field at line \(line), column \(column) is not valid UTF-8"
        case .missingColumn(let name, let available):
            "no column named \"\(name)\"; the header has: \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .unreadable(let error): "\(error)"
        }
    }
}

/// A record that could not be read: where it starts, and why.
public struct CSVRecordError: Error, Equatable, CustomStringConvertible {
    /// The line the record starts on: where its error record belongs in the output.
    public var line: Int
    /// Byte offset of the record's start.
    public var offset: Int
    /// What is wrong, with its own position.
    public var error: CSVError

    public init(line: Int, offset: Int, error: CSVError) {
        self.line = line
        self.offset = offset
        self.error = error
    }

    public var description: String { error.description }
}
