/// A stream of bytes read a large chunk at a time: a file, standard input, a decompressed gzip file.
///
/// Readers call `read(into:)` once per chunk (a mebibyte or so), so nothing here costs anything per byte.
/// Sources own descriptors and zlib streams, so they may be noncopyable.
public protocol ByteSource: ~Copyable {
    /// The source's name in messages: a file path, or `stdin`.
    var name: String { get }
    /// Bytes taken from the underlying file so far; for a compressed source, compressed bytes. With
    /// `byteCount`, this drives a progress bar.
    var bytesConsumed: Int { get }
    /// The underlying file's size in bytes (compressed for a compressed source), or `nil` when it is not
    /// known in advance (a pipe).
    var byteCount: Int? { get }
    /// Reads up to `buffer.count` bytes into the start of `buffer` and returns how many it read.
    ///
    /// Returns 0 only at the end of the stream (or for an empty `buffer`); a short read is not the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int
}

/// Why a byte source could not be read, and where.
public enum SourceError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened.
    case cannotOpen(path: String, reason: String)
    /// `read(2)` failed at byte `offset` of the file.
    case readFailed(source: String, offset: Int, reason: String)
    /// zlib found data that is not valid gzip (or zlib) data at compressed byte `offset`, after
    /// `decompressedBytes` had been delivered.
    case corruptGzip(source: String, offset: Int, decompressedBytes: Int, reason: String)
    /// The file ends inside a gzip member (or holds none): it was cut short.
    case truncatedGzip(source: String, offset: Int, decompressedBytes: Int)
    /// zlib could not allocate its state.
    case outOfMemory(source: String)
    /// The gzip data expands more than `ratio` times its compressed size: a likely decompression bomb,
    /// refused at compressed byte `offset` after `decompressedBytes` had been delivered.
    case gzipBomb(source: String, offset: Int, decompressedBytes: Int, ratio: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open: \(reason)"
        case .readFailed(let source, let offset, let reason): "\(source): cannot read at byte \(offset): \(reason)"
        case .corruptGzip(let source, let offset, let decompressedBytes, let reason):
            "\(source): corrupt gzip data at compressed byte \(offset), after \(decompressedBytes) decompressed bytes: "
                + reason
        case .truncatedGzip(let source, let offset, let decompressedBytes):
            "\(source): gzip data ends early, at compressed byte \(offset) after \(decompressedBytes) decompressed "
                + "bytes: the file is truncated"
        case .outOfMemory(let source): "\(source): out of memory for decompression"
        case .gzipBomb(let source, let offset, let decompressedBytes, let ratio):
            "\(source): gzip data expands more than \(ratio) times (\(decompressedBytes) bytes from \(offset) "
                + "compressed bytes): refused as a likely decompression bomb (--max-gzip-ratio)"
        }
    }
}

/// Bytes already in memory, read like a file: for tests, and for small inputs read whole.
public struct MemorySource: ByteSource {
    public let name: String
    public private(set) var bytesConsumed = 0
    public var byteCount: Int? { bytes.count }
    private let bytes: [UInt8]
    /// Most bytes one `read(into:)` returns, so tests can cut the stream anywhere.
    private let maxReadBytes: Int

    /// Creates a source that yields `bytes`, at most `maxReadBytes` per read.
    public init(_ bytes: [UInt8], name: String = "memory", maxReadBytes: Int = .max) {
        precondition(maxReadBytes > 0, "a source must make progress")
        self.bytes = bytes
        self.name = name
        self.maxReadBytes = maxReadBytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        let count = min(buffer.count, maxReadBytes, bytes.count - bytesConsumed)
        guard count > 0 else { return 0 }
        let range = bytesConsumed..<(bytesConsumed + count)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[range])) }
        bytesConsumed += count
        return count
    }
}
