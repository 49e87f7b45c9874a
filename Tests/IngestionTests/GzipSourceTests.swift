import Foundation
import Ingestion
import Testing

struct GzipSourceTests {
    static let text = Drain.numberedLines(1...2_000)

    /// Reads gzip `bytes` whole, through an input of `inputBytes` fed `maxReadBytes` at a time.
    static func gunzip(
        _ bytes: [UInt8],
        inputBytes: Int = 256 << 10,
        maxReadBytes: Int = .max,
        chunk: Int = 1 << 16
    ) throws -> (bytes: [UInt8], error: SourceError?) {
        var source = try GzipSource(
            MemorySource(bytes, name: "t.gz", maxReadBytes: maxReadBytes),
            inputBytes: inputBytes
        )
        return Drain.bytes(of: &source, chunk: chunk)
    }

    /// Reads gzip `bytes` as lines until the end or an error.
    static func lines(of bytes: [UInt8]) throws -> (lines: [String], error: SourceError?) {
        var splitter = LineSplitter(source: try GzipSource(MemorySource(bytes, name: "t.gz")), maxLineBytes: 1_000)
        var lines: [String] = []
        do {
            while let line = try splitter.nextLine() { lines.append(String(decoding: line.bytes, as: UTF8.self)) }
        } catch {
            return (lines, error)
        }
        return (lines, nil)
    }

    @Test(arguments: [
        (256 << 10, Int.max, 1 << 16),
        (7, Int.max, 1 << 16),
        (256 << 10, 3, 5),
        (1, 1, 1),
    ])
    func roundTrip(inputBytes: Int, maxReadBytes: Int, chunk: Int) throws {
        let read = try Self.gunzip(
            GzipWriter.gzip(Self.text),
            inputBytes: inputBytes,
            maxReadBytes: maxReadBytes,
            chunk: chunk
        )
        #expect(read.error == nil)
        #expect(read.bytes == Array(Self.text.utf8))
    }

    @Test func membersBackToBackReadAsOneStream() throws {
        // As `cat a.gz b.gz` makes; an empty member in between is still a member.
        let file = GzipWriter.gzip("first\nsecond\n") + GzipWriter.gzip("") + GzipWriter.gzip("third\n", level: 0)
        for maxReadBytes in [1, 5, Int.max] {
            let read = try Self.gunzip(file, inputBytes: 4, maxReadBytes: maxReadBytes)
            #expect(read.error == nil)
            #expect(String(decoding: read.bytes, as: UTF8.self) == "first\nsecond\nthird\n")
        }
    }

    @Test func progressCountsCompressedBytes() throws {
        let file = GzipWriter.gzip(Self.text)
        var source = try GzipSource(MemorySource(file, name: "t.gz"), inputBytes: 1_024)
        #expect(source.byteCount == file.count)
        #expect(source.bytesConsumed == 0)
        var buffer = [UInt8](repeating: 0, count: 4_096)
        _ = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        #expect(source.bytesConsumed > 0 && source.bytesConsumed < file.count)
        _ = Drain.bytes(of: &source)
        #expect(source.bytesConsumed == file.count)
        #expect(source.bytesDelivered == Self.text.utf8.count)
    }

    @Test func corruptDataIsAnErrorWithItsOffsetAndLinesBeforeItAreDelivered() throws {
        var file = GzipWriter.gzip(Self.text)
        let middle = file.count / 2
        for index in middle..<(middle + 64) { file[index] = ~file[index] }
        let read = try Self.lines(of: file)
        let error = try #require(read.error)
        guard case .corruptGzip(let source, let offset, let decompressed, _) = error else {
            Issue.record("expected corrupt gzip, got \(error)")
            return
        }
        #expect(source == "t.gz")
        #expect(offset >= middle && offset <= file.count)
        let expected = Self.text.split(separator: "\n").map(String.init)
        // Everything before the damage comes through intact; only lines near it may be garbled.
        #expect(read.lines.count > 500)
        #expect(Array(read.lines.prefix(500)) == Array(expected.prefix(500)))
        #expect(decompressed >= read.lines.prefix(500).reduce(0) { $0 + $1.utf8.count + 1 })
        #expect(error.description.hasPrefix("t.gz: corrupt gzip data at compressed byte \(offset), after "))
    }

    @Test func truncatedFileIsAnErrorAfterTheBytesBeforeTheCut() throws {
        let file = GzipWriter.gzip(Self.text)
        let cut = Array(file[..<(file.count / 2)])
        let read = try Self.gunzip(cut, inputBytes: 1_000)
        #expect(read.error == .truncatedGzip(source: "t.gz", offset: cut.count, decompressedBytes: read.bytes.count))
        #expect(read.bytes.count > 1_000)
        #expect(read.bytes == Array(Self.text.utf8.prefix(read.bytes.count)))
        let lines = try Self.lines(of: cut)
        #expect(lines.error != nil)
        #expect(lines.lines == Array(Self.text.split(separator: "\n").map(String.init).prefix(lines.lines.count)))
    }

    @Test func fileMissingItsTrailerIsTruncated() throws {
        let file = GzipWriter.gzip("hello\n")
        let read = try Self.gunzip(Array(file.dropLast(4)))  // the length, the last field of the trailer
        #expect(read.bytes == Array("hello\n".utf8))
        #expect(read.error == .truncatedGzip(source: "t.gz", offset: file.count - 4, decompressedBytes: 6))
    }

    @Test func emptyFileHoldsNoMemberSoIsTruncated() throws {
        let read = try Self.gunzip([])
        #expect(read.error == .truncatedGzip(source: "t.gz", offset: 0, decompressedBytes: 0))
        #expect(
            read.error?.description == """
                t.gz: gzip data ends early, at compressed byte 0 after 0 decompressed bytes: the file is truncated
                """
        )
    }

    @Test func notGzipAtAll() throws {
        let read = try Self.gunzip(Array("plain text\n".utf8))
        // zlib reads the two header bytes before it can tell.
        let expected = SourceError.corruptGzip(
            source: "t.gz",
            offset: 2,
            decompressedBytes: 0,
            reason: "incorrect header check"
        )
        #expect(read.error == expected)
    }

    @Test func garbageAfterAMemberIsCorruption() throws {
        let file = GzipWriter.gzip("ok\n")
        let read = try Self.gunzip(file + Array("junk".utf8))
        #expect(read.bytes == Array("ok\n".utf8))
        guard case .corruptGzip(_, let offset, 3, _)? = read.error else {
            Issue.record("expected corruption after the member, got \(String(describing: read.error))")
            return
        }
        #expect(offset >= file.count)
    }

    @Test func errorsAreSticky() throws {
        var source = try GzipSource(MemorySource([0x1F, 0x8B], name: "t.gz"))
        var buffer = [UInt8](repeating: 0, count: 16)
        for _ in 0..<2 {
            #expect(throws: SourceError.truncatedGzip(source: "t.gz", offset: 2, decompressedBytes: 0)) {
                try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            }
        }
    }

    /// 50 MB of lines stream through gzip and the splitter with buffers that never grow: memory is bounded by
    /// the chunk and the line limit, not by the file.
    @Test func bigFileStreamsInBoundedMemory() throws {
        let writer = GzipWriter(level: 1)
        var plainBytes = 0
        var lineCount = 0
        while plainBytes < 50_000_000 {
            let block = Drain.numberedLines((lineCount + 1)...(lineCount + 10_000))
            writer.append(Array(block.utf8))
            plainBytes += block.utf8.count
            lineCount += 10_000
        }
        let file = writer.finish()
        let chunkBytes = 64 << 10
        let maxLineBytes = 4_096
        var splitter = LineSplitter(
            source: try GzipSource(MemorySource(file, name: "big.gz"), inputBytes: 16 << 10),
            maxLineBytes: maxLineBytes,
            chunkBytes: chunkBytes
        )
        var count = 0
        var bytes = 0
        var peak = 0
        while let line = try splitter.nextLine() {
            count += 1
            bytes += line.bytes.count + 1
            peak = max(peak, splitter.bufferedByteCapacity)
            if count % 100_003 == 1 {
                #expect(line.bytes.starts(with: Array("line \(count): ".utf8)))
            }
        }
        #expect(count == lineCount)
        #expect(bytes == plainBytes)
        #expect(splitter.bytesConsumed == file.count)
        #expect(peak <= chunkBytes + 2 * (maxLineBytes + 1))
    }

    /// A stream that expands more than the ratio, once past the allowance, is refused as a decompression bomb
    /// before more than the allowance and one read are delivered; ordinary text is far below any such ratio.
    @Test func expansionPastTheRatioIsRefusedAsABomb() throws {
        let zeros = GzipWriter.gzip([UInt8](repeating: 0, count: 4 << 20), level: 9)
        var source = try GzipSource(
            MemorySource(zeros, name: "z.gz"),
            maxExpansionRatio: 100,
            expansionAllowance: 1 << 20
        )
        let read = Drain.bytes(of: &source)
        guard case .gzipBomb(let name, let offset, let decompressed, let ratio)? = read.error else {
            Issue.record("expected a gzip bomb error, got \(String(describing: read.error))")
            return
        }
        #expect(name == "z.gz")
        #expect(ratio == 100)
        #expect(offset <= zeros.count)
        #expect(read.bytes.count == decompressed)
        #expect(decompressed >= 1 << 20 && decompressed <= (1 << 20) + (1 << 16))
        #expect(read.error?.description.contains("likely decompression bomb (--max-gzip-ratio)") == true)

        var lenient = try GzipSource(
            MemorySource(zeros, name: "z.gz"),
            maxExpansionRatio: 2_000,
            expansionAllowance: 1 << 20
        )
        #expect(Drain.bytes(of: &lenient).bytes.count == 4 << 20)
        var text = try GzipSource(
            MemorySource(GzipWriter.gzip(Self.text), name: "t.gz"),
            maxExpansionRatio: 20,
            expansionAllowance: 0
        )
        #expect(Drain.bytes(of: &text).error == nil)
    }
}
