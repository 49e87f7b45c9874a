import Ingestion
import Testing

struct LineSplitterTests {
    /// A line as the tests expect it: number, offset and text, or the byte count of an oversized line.
    struct Expected: Equatable, CustomStringConvertible {
        var number: Int
        var offset: Int
        var text: String?
        var oversized: Int?

        init(_ number: Int, _ offset: Int, _ text: String) {
            (self.number, self.offset, self.text) = (number, offset, text)
        }

        init(_ number: Int, _ offset: Int, oversized: Int) {
            (self.number, self.offset, self.oversized) = (number, offset, oversized)
        }

        init(_ line: SourceLine) {
            (number, offset, oversized) = (line.number, line.offset, line.oversizedByteCount)
            text = oversized == nil ? String(decoding: line.bytes, as: UTF8.self) : nil
        }

        var description: String { "\(number)@\(offset):\(text.map { "\"\($0)\"" } ?? "oversized \(oversized ?? 0)")" }
    }

    /// Splits `input` with every combination of short reads and small chunks, so lines cross chunk edges.
    static func split(_ input: String, maxLineBytes: Int = 100) throws -> [[Expected]] {
        var results: [[Expected]] = []
        for (maxReadBytes, chunkBytes) in [(Int.max, 1 << 20), (1, 1 << 20), (3, 4), (2, 1)] {
            var splitter = LineSplitter(
                source: MemorySource(Array(input.utf8), maxReadBytes: maxReadBytes),
                maxLineBytes: maxLineBytes,
                chunkBytes: chunkBytes
            )
            var lines: [Expected] = []
            while let line = try splitter.nextLine() { lines.append(Expected(line)) }
            #expect(try splitter.nextLine().map(Expected.init) == nil, "the end stays the end")
            results.append(lines)
        }
        return results
    }

    @Test(arguments: [
        ("", []),
        ("one\ntwo\n", [Expected(1, 0, "one"), Expected(2, 4, "two")]),
        ("one\r\ntwo\r\n", [Expected(1, 0, "one"), Expected(2, 5, "two")]),
        ("no final newline", [Expected(1, 0, "no final newline")]),
        ("a\r\nlast\r", [Expected(1, 0, "a"), Expected(2, 3, "last")]),
        ("\n\n", [Expected(1, 0, ""), Expected(2, 1, "")]),
        ("\r\n", [Expected(1, 0, "")]),
        ("mid\rline\n", [Expected(1, 0, "mid\rline")]),
        ("\u{FEFF}bom\n\u{FEFF}again", [Expected(1, 0, "bom"), Expected(2, 7, "again")]),
        ("café ☕\nnext", [Expected(1, 0, "café ☕"), Expected(2, 10, "next")]),
    ])
    func lines(input: String, expected: [Expected]) throws {
        for lines in try Self.split(input) { #expect(lines == expected) }
    }

    @Test func oversizedLinesKeepOnlyTheirLength() throws {
        let long = String(repeating: "x", count: 25)
        let input = "short\n\(long)\r\nfits10byte\r\n\(long)"
        let expected = [
            Expected(1, 0, "short"),
            Expected(2, 6, oversized: 25),
            Expected(3, 33, "fits10byte"),
            Expected(4, 45, oversized: 25),
        ]
        for lines in try Self.split(input, maxLineBytes: 10) { #expect(lines == expected) }
    }

    @Test func bufferedLineNeverReads() throws {
        var splitter = LineSplitter(source: MemorySource(Array("a\nb".utf8)), maxLineBytes: 10)
        #expect(splitter.bufferedLine().map(Expected.init) == nil)
        #expect(splitter.bytesConsumed == 0)
        try splitter.fillBuffer()
        #expect(splitter.bufferedLine().map(Expected.init) == Expected(1, 0, "a"))
        #expect(
            splitter.bufferedLine().map(Expected.init) == nil,
            "\"b\" may go on; only the end of the source finishes it"
        )
        try splitter.fillBuffer()
        let isAtEnd = splitter.isSourceAtEnd
        #expect(isAtEnd)
        #expect(splitter.bufferedLine().map(Expected.init) == Expected(2, 2, "b"))
        #expect(splitter.bufferedLine().map(Expected.init) == nil)
    }

    @Test func aLongLineNeverGrowsTheBuffer() throws {
        let input = String(repeating: "y", count: 1_000_000) + "\nend\n"
        var splitter = LineSplitter(source: MemorySource(Array(input.utf8)), maxLineBytes: 1_000, chunkBytes: 4_096)
        #expect(try splitter.nextLine().map(Expected.init) == Expected(1, 0, oversized: 1_000_000))
        #expect(splitter.bufferedByteCapacity <= 4_096 + 2 * 1_001)
        #expect(try splitter.nextLine().map(Expected.init) == Expected(2, 1_000_001, "end"))
    }

    @Test func aSourceErrorComesAfterTheLinesBeforeIt() throws {
        let file = GzipWriter.gzip("one\ntwo\nthree\n")
        var splitter = LineSplitter(
            source: try GzipSource(MemorySource(Array(file.dropLast(12)), name: "t.gz")),
            maxLineBytes: 10
        )
        var lines: [String] = []
        #expect(throws: SourceError.self) {
            while let line = try splitter.nextLine() { lines.append(String(decoding: line.bytes, as: UTF8.self)) }
        }
        #expect(lines == Array(["one", "two", "three"].prefix(lines.count)))
        #expect(splitter.linesRead == lines.count)
    }
}
