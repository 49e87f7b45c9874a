internal import Engine
internal import Foundation
internal import Ingestion

/// One file's records, read into batches a slice at a time.
protocol RecordStream: AnyObject {
    /// Appends up to `limit` records to `batch`, each as one line (a record that cannot be read as an error
    /// line); returns `false` once the file has no more.
    func read(into batch: inout LineBatch, limit: Int) -> Bool
    /// Bytes taken from the file so far (compressed bytes for gzip), for progress.
    var bytesConsumed: Int { get }
}

/// Reads a scan's files in plan order, from a position, into batches of one engine format.
///
/// Small files of one format share a batch (each line keeps its own source), so a folder of HTML files is
/// moderated on every core; a large file is cut into many batches. Nothing here throws: a file that cannot
/// be opened, a corrupt gzip member or a broken CSV record becomes an error line, so it is reported in order
/// like any unreadable record and the scan goes on.
final class ScanReader {
    let plan: ScanPlan
    let options: ScanOptions
    /// Where the next batch starts.
    private(set) var position: ScanPosition
    /// Most lines in one batch.
    var batchLines = 4_096
    /// Most bytes in one batch.
    var batchBytes = 4 << 20

    private var stream: (any RecordStream)?
    /// Input bytes of the files before the current one.
    private var finishedBytes: Int64

    init(plan: ScanPlan, options: ScanOptions, from position: ScanPosition) {
        self.plan = plan
        self.options = options
        self.position = position
        finishedBytes = plan.files.prefix(position.file).reduce(0) { $0 + $1.size }
    }

    /// The engine format a scan format's lines are in.
    static func engineFormat(_ format: ScanFormat) -> InputFormat {
        switch format {
        case .jsonl, .jsonlGzip, .csv: .jsonl  // CSV records become JSON records
        case .text: .text
        case .html: .html
        }
    }

    /// The next batch and the position after it, or `nil` when every file is read.
    func nextBatch() -> (batch: LineBatch, end: ScanPosition)? {
        var batch = LineBatch()
        while position.file < plan.files.count {
            let file = plan.files[position.file]
            let format = Self.engineFormat(file.format)
            if batch.lines.isEmpty {
                batch = LineBatch(format: format)
            } else if batch.format != format {
                break
            }
            if stream == nil {
                let opened = open(file)
                stream = opened
                if position.records > 0 { skip(position.records, of: opened) }
            }
            guard let current = stream else { break }
            batch.beginSource(file.path)
            let before = batch.lines.count
            let more = current.read(into: &batch, limit: batchLines - before)
            position.records += batch.lines.count - before
            position.bytes = finishedBytes + Int64(current.bytesConsumed)
            if !more {
                finishedBytes += file.size
                position = ScanPosition(file: position.file + 1, records: 0, bytes: finishedBytes)
                stream = nil
            }
            if batch.lines.count >= batchLines || batch.storage.count >= batchBytes { break }
        }
        return batch.lines.isEmpty ? nil : (batch, position)
    }

    /// Reads and drops the first `count` records of a file a resumed scan had already written.
    private func skip(_ count: Int, of stream: any RecordStream) {
        var left = count
        while left > 0 {
            var discarded = LineBatch()
            discarded.beginSource("")
            let more = stream.read(into: &discarded, limit: min(left, batchLines))
            left -= discarded.lines.count
            if !more || discarded.lines.isEmpty { break }
        }
    }

    private func open(_ file: ScanFile) -> any RecordStream {
        let maxRecordBytes = options.maxRecordBytes
        do throws(SourceError) {
            let source = try FileSource(path: file.path)
            switch file.format {
            case .jsonl, .text:
                return LineStream(source: source, maxRecordBytes: maxRecordBytes)
            case .jsonlGzip:
                let gzip = try GzipSource(
                    source,
                    maxExpansionRatio: options.maxGzipRatio ?? GzipSource<FileSource>.defaultMaxExpansionRatio
                )
                return LineStream(source: gzip, maxRecordBytes: maxRecordBytes)
            case .csv:
                return CSVStream(source: source, options: options)
            case .html:
                return WholeFileStream(source: source, maxRecordBytes: maxRecordBytes)
            }
        } catch {
            return FailedStream(reason: ScanReader.describe(error))
        }
    }

    /// A source error as a reason: without the file name, which the error record carries already.
    static func describe(_ error: SourceError) -> String {
        switch error {
        case .cannotOpen(_, let reason): "cannot open: \(reason)"
        case .readFailed(_, let offset, let reason): "cannot read at byte \(offset): \(reason)"
        case .corruptGzip(_, let offset, let decompressed, let reason):
            "corrupt gzip data at compressed byte \(offset) (after \(decompressed) decompressed bytes): \(reason); "
                + "the rest of the file is not read"
        case .truncatedGzip(_, let offset, let decompressed):
            "gzip data ends early at compressed byte \(offset) (after \(decompressed) decompressed bytes): "
                + "the file is truncated"
        case .outOfMemory: "out of memory for decompression"
        case .gzipBomb(_, let offset, let decompressed, let ratio):
            "gzip data expands more than \(ratio) times (\(decompressed) bytes from \(offset) compressed bytes): "
                + "refused as a likely decompression bomb (--max-gzip-ratio); the rest of the file is not read"
        }
    }
}

/// A file of lines: JSON Lines, text, or gzip-compressed JSON Lines.
final class LineStream<Source: ByteSource & ~Copyable>: RecordStream {
    private var splitter: LineSplitter<Source>

    init(source: consuming Source, maxRecordBytes: Int) {
        splitter = LineSplitter(source: source, maxLineBytes: maxRecordBytes)
    }

    var bytesConsumed: Int { splitter.bytesConsumed }

    func read(into batch: inout LineBatch, limit: Int) -> Bool {
        var count = 0
        while count < limit {
            do throws(SourceError) {
                guard let line = try splitter.nextLine() else { return false }
                batch.append(line)
                count += 1
            } catch {
                // What was read before the damage is kept; the damage is one error record where it starts.
                batch.appendError(ScanReader.describe(error), number: splitter.linesRead + 1)
                return false
            }
        }
        return true
    }
}

/// A CSV file with a header row: each record becomes a JSON record of its body and id columns.
final class CSVStream<Source: ByteSource & ~Copyable>: RecordStream {
    private var reader: CSVReader<Source>
    private let options: ScanOptions
    private var columns: Result<CSVColumns, CSVError>?

    init(source: consuming Source, options: ScanOptions) {
        reader = CSVReader(source: source, maxRecordBytes: options.maxRecordBytes)
        self.options = options
    }

    var bytesConsumed: Int { reader.bytesConsumed }

    func read(into batch: inout LineBatch, limit: Int) -> Bool {
        var count = 0
        var line: [UInt8] = []
        while count < limit {
            do throws(CSVError) {
                if columns == nil {
                    guard let header = try reader.readHeader() else { return false }
                    columns = Self.columns(in: header, options: options)
                }
                guard let result = try reader.nextRecord() else { return false }
                count += 1
                switch (result, columns) {
                case (.success(let record), .success(let columns)?):
                    do throws(CSVError) {
                        line.removeAll(keepingCapacity: true)
                        try columns.appendJSONLine(for: record, to: &line)
                        batch.append(line, number: record.line)
                    } catch {
                        batch.appendError("\(error)", number: record.line)
                    }
                case (.success(let record), .failure(let error)?):
                    // Without its body column no record can be read: each says why, none is lost.
                    batch.appendError("\(error)", number: record.line)
                case (.failure(let failure), _):
                    batch.appendError("\(failure.error)", number: failure.line)
                case (.success(let record), nil):
                    batch.appendError("no header", number: record.line)
                }
            } catch {
                batch.appendError("\(error)", number: 1)
                return false
            }
        }
        return true
    }

    /// The body column (required) and id column (required when named, else `id` if the header has one).
    static func columns(in header: [String], options: ScanOptions) -> Result<CSVColumns, CSVError> {
        do throws(CSVError) {
            if let id = options.idColumn {
                return .success(try CSVColumns(header: header, body: options.bodyColumn, id: id))
            }
            if let withID = try? CSVColumns(header: header, body: options.bodyColumn, id: "id") {
                return .success(withID)
            }
            return .success(try CSVColumns(header: header, body: options.bodyColumn))
        } catch {
            return .failure(error)
        }
    }
}

/// A file that is one record: an HTML document.
final class WholeFileStream<Source: ByteSource & ~Copyable>: RecordStream {
    private var source: Source
    private let maxRecordBytes: Int
    private var done = false

    init(source: consuming Source, maxRecordBytes: Int) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
    }

    var bytesConsumed: Int { source.bytesConsumed }

    func read(into batch: inout LineBatch, limit: Int) -> Bool {
        guard !done, limit > 0 else { return false }
        done = true
        var bytes: [UInt8] = []
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        do throws(SourceError) {
            while true {
                // withUnsafeMutableBytes rethrows untyped errors; a Result carries the typed one through.
                let read = chunk.withUnsafeMutableBytes { buffer in
                    Result { () throws(SourceError) in try source.read(into: buffer) }
                }
                let count = try read.get()
                if count == 0 { break }
                total += count
                // Past the limit only the length is kept: memory stays bounded whatever the file.
                if total <= maxRecordBytes { bytes.append(contentsOf: chunk[..<count]) }
            }
        } catch {
            batch.appendError(ScanReader.describe(error), number: 1)
            return false
        }
        if total > maxRecordBytes {
            batch.appendOversized(byteCount: total, number: 1)
        } else {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            batch.append(bytes, number: 1)
        }
        return false
    }
}

/// A file that could not be opened: one error record.
final class FailedStream: RecordStream {
    private let reason: String
    private var done = false

    init(reason: String) {
        self.reason = reason
    }

    var bytesConsumed: Int { 0 }

    func read(into batch: inout LineBatch, limit: Int) -> Bool {
        guard !done, limit > 0 else { return false }
        done = true
        batch.appendError(reason, number: 0)
        return false
    }
}
