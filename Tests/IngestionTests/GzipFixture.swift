import CZlib
import Ingestion

/// Makes gzip data with zlib's deflate, a piece at a time, so a test can build a big file without holding
/// its decompressed text.
final class GzipWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private(set) var compressed: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    /// Starts one gzip member at compression `level` (0 stores, 9 compresses most).
    init(level: Int32 = 6) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's (zlib.h, deflateInit2).
        let status = czlib_deflate_init2(stream, level, 15 + 16)
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `bytes`.
    func append(_ bytes: [UInt8]) {
        var bytes = bytes
        bytes.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            run(flush: Z_NO_FLUSH)
        }
    }

    /// Ends the member and returns the gzip bytes.
    func finish() -> [UInt8] {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        run(flush: Z_FINISH)
        return compressed
    }

    private func run(flush: Int32) {
        repeat {
            let status = output.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                return deflate(stream, flush)
            }
            precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate: \(status)")
            compressed.append(contentsOf: output[..<(output.count - Int(stream.pointee.avail_out))])
        } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && stream.pointee.avail_in > 0)
    }

    /// One gzip member holding `bytes`.
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        let writer = GzipWriter(level: level)
        writer.append(bytes)
        return writer.finish()
    }

    /// One gzip member holding `text`.
    static func gzip(_ text: String, level: Int32 = 6) -> [UInt8] { gzip(Array(text.utf8), level: level) }
}

/// Helpers that read whole sources, for tests.
enum Drain {
    /// Reads `source` to its end in reads of `chunk` bytes; returns the bytes, and the error that stopped it.
    static func bytes(
        of source: inout some ByteSource & ~Copyable,
        chunk: Int = 1 << 16
    ) -> (bytes: [UInt8], error: SourceError?) {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            do throws(SourceError) {
                let count = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(SourceError) in try source.read(into: raw) }
                }.get()
                if count == 0 { return (all, nil) }
                all.append(contentsOf: buffer[..<count])
            } catch {
                return (all, error)
            }
        }
    }

    /// Lines of text, each ending in a newline: "line 1 …\n" to "line n …\n".
    static func numberedLines(_ range: ClosedRange<Int>) -> String {
        range.map { "line \($0): the quick brown fox \($0 * 7919 % 10007) jumps\n" }.joined()
    }
}
