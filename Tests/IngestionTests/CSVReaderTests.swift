import Ingestion
import Testing

struct CSVReaderTests {
    /// What one record read as: its start line and fields, or its error.
    enum Row: Equatable, CustomStringConvertible {
        case record(line: Int, [String])
        case failure(line: Int, CSVError)

        var description: String {
            switch self {
            case .record(let line, let fields): "\(line): \(fields)"
            case .failure(let line, let error): "\(line): error \(error)"
            }
        }
    }

    /// Reads `csv` with every combination of short reads and small chunks; every way must agree.
    static func read(_ csv: String, maxRecordBytes: Int = 1 << 20) throws -> (header: [String]?, rows: [Row]) {
        var results: [([String]?, [Row])] = []
        for (maxReadBytes, chunkBytes) in [(Int.max, 1 << 20), (1, 1 << 20), (2, 3), (5, 7)] {
            var reader = CSVReader(
                source: MemorySource(Array(csv.utf8), name: "t.csv", maxReadBytes: maxReadBytes),
                maxRecordBytes: maxRecordBytes,
                chunkBytes: chunkBytes
            )
            let header = try reader.readHeader()
            var rows: [Row] = []
            while let next = try reader.nextRecord() {
                switch next {
                case .success(let record): rows.append(.record(line: record.line, record.fields))
                case .failure(let error): rows.append(.failure(line: error.line, error.error))
                }
            }
            results.append((header, rows))
        }
        for result in results.dropFirst() {
            #expect(result.0 == results[0].0)
            #expect(result.1 == results[0].1)
        }
        return results[0]
    }

    // MARK: - RFC 4180

    @Test func plainRecords() throws {
        let read = try Self.read("id,body\n1,hello\n2,world\n")
        #expect(read.header == ["id", "body"])
        #expect(read.rows == [.record(line: 2, ["1", "hello"]), .record(line: 3, ["2", "world"])])
    }

    @Test func quotedFieldsHoldCommasNewlinesAndDoubledQuotes() throws {
        let csv = #"""
            id,body
            1,"one, two"
            2,"first line
            second line

            fourth line"
            3,"she said ""hi"""
            4,""
            5,"x"

            """#
        #expect(
            try Self.read(csv).rows == [
                .record(line: 2, ["1", "one, two"]),
                .record(line: 3, ["2", "first line\nsecond line\n\nfourth line"]),
                .record(line: 7, ["3", #"she said "hi""#]),
                .record(line: 8, ["4", ""]),
                .record(line: 9, ["5", "x"]),
            ]
        )
    }

    @Test func crlfRecordEndsAndQuotedCRLFKept() throws {
        let read = try Self.read("id,body\r\n1,\"a\r\nb\"\r\n2,c\r\n3,\"d\"\r\n")
        #expect(read.header == ["id", "body"])
        #expect(
            read.rows == [
                .record(line: 2, ["1", "a\r\nb"]), .record(line: 4, ["2", "c"]), .record(line: 5, ["3", "d"]),
            ]
        )
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let read = try Self.read("\u{FEFF}id,body\n1,x")
        #expect(read.header == ["id", "body"])
        #expect(read.rows == [.record(line: 2, ["1", "x"])])
    }

    @Test func lastRecordWithoutNewlineAndEmptyFields() throws {
        #expect(
            try Self.read("a,b,c\n,,\n1,,\"\"").rows == [
                .record(line: 2, ["", "", ""]), .record(line: 3, ["1", "", ""]),
            ]
        )
    }

    @Test func blankLinesHoldNoRecord() throws {
        #expect(try Self.read("id\n\n1\n\r\n\n2\n\n").rows == [.record(line: 3, ["1"]), .record(line: 6, ["2"])])
    }

    @Test func emptyFileAndHeaderOnly() throws {
        #expect(try Self.read("").header == nil)
        #expect(try Self.read("").rows.isEmpty)
        #expect(try Self.read("id,body\n").rows.isEmpty)
    }

    @Test func quoteInsideAnUnquotedFieldIsACharacter() throws {
        #expect(
            try Self.read("id,body\n1,5\" screen\n2,a\"b\"c\n").rows == [
                .record(line: 2, ["1", "5\" screen"]), .record(line: 3, ["2", "a\"b\"c"]),
            ]
        )
    }

    // MARK: - Errors, and reading on after them

    @Test func brokenQuoteCostsOneRecordAndReadingResumesOnTheNextLine() throws {
        let csv = #"""
            id,body
            1,fine
            2,"broken
            3,after
            4,"quoted, fine"
            5,"multi
            line"
            6,end
            """#
        #expect(
            try Self.read(csv).rows == [
                .record(line: 2, ["1", "fine"]),
                .failure(line: 3, .unterminatedQuote(line: 3, column: 3)),
                .record(line: 4, ["3", "after"]),
                .record(line: 5, ["4", "quoted, fine"]),
                .record(line: 6, ["5", "multi\nline"]),
                .record(line: 8, ["6", "end"]),
            ]
        )
    }

    @Test func brokenQuoteWithNoOtherQuoteUntilTheEnd() throws {
        let csv = "id,body\n1,\"open\n2,b\n3,c\n"
        #expect(
            try Self.read(csv).rows == [
                .failure(line: 2, .unterminatedQuote(line: 2, column: 3)),
                .record(line: 3, ["2", "b"]),
                .record(line: 4, ["3", "c"]),
            ]
        )
    }

    @Test func brokenQuoteOnTheLastLine() throws {
        #expect(try Self.read("id,body\n1,\"open").rows == [.failure(line: 2, .unterminatedQuote(line: 2, column: 3))])
    }

    @Test func brokenQuoteStopsAtTheRecordLimitAndMemoryStaysBounded() throws {
        // No other quote anywhere: without the limit, the field would run to the end of the file.
        let lines = (3...2_000).map { "\($0),body \($0)\n" }.joined()
        let csv = "id,body\n1,\"stray\n" + lines
        let read = try Self.read(csv, maxRecordBytes: 200)
        #expect(read.rows.first == .failure(line: 2, .unterminatedQuote(line: 2, column: 3)))
        #expect(read.rows.dropFirst() == (3...2_000).map { Row.record(line: $0, ["\($0)", "body \($0)"]) }[...])

        var reader = CSVReader(source: MemorySource(Array(csv.utf8)), maxRecordBytes: 200, chunkBytes: 64)
        var peak = 0
        while try reader.nextRecord() != nil { peak = max(peak, reader.bufferedByteCapacity) }
        #expect(peak <= 64 + 4 * 512)
    }

    @Test func twoBrokenQuotesInARow() throws {
        let csv = "h1,h2\n1,\"a\n2,\"b\n3,c\n4,\"d\"\n"
        #expect(
            try Self.read(csv).rows == [
                .failure(line: 2, .unterminatedQuote(line: 2, column: 3)),
                .failure(line: 3, .unterminatedQuote(line: 3, column: 3)),
                .record(line: 4, ["3", "c"]),
                .record(line: 5, ["4", "d"]),
            ]
        )
    }

    @Test func textAfterAClosingQuoteIsAnErrorForThatRecordOnly() throws {
        let csv = "id,body\n1,\"ab\"c,\n2,ok\n3,\"x\"\ry\n4,é\"z\"\n"
        #expect(
            try Self.read(csv).rows == [
                .failure(line: 2, .textAfterClosingQuote(line: 2, column: 7)),
                .record(line: 3, ["2", "ok"]),
                .failure(line: 4, .textAfterClosingQuote(line: 4, column: 6)),
                .record(line: 5, ["4", "é\"z\""]),
            ]
        )
    }

    @Test func wrongFieldCountIsAnErrorForThatRecordOnly() throws {
        let csv = "id,body\n1,a,extra\n2\n3,\"multi\nline\",x\n4,b\n"
        #expect(
            try Self.read(csv).rows == [
                .failure(line: 2, .wrongFieldCount(line: 2, column: 5, expected: 2, found: 3)),
                .failure(line: 3, .wrongFieldCount(line: 3, column: 2, expected: 2, found: 1)),
                .failure(line: 4, .wrongFieldCount(line: 5, column: 7, expected: 2, found: 3)),
                .record(line: 6, ["4", "b"]),
            ]
        )
    }

    @Test func oversizedRecordIsSkippedToTheEndOfItsLine() throws {
        let long = String(repeating: "z", count: 100)
        let csv = "id,body\n1,\(long)\n2,\"\(long)\"\n3,ok\n"
        #expect(
            try Self.read(csv, maxRecordBytes: 50).rows == [
                .failure(line: 2, .recordTooLarge(line: 2, byteCount: 103, limit: 50)),
                .failure(line: 3, .recordTooLarge(line: 3, byteCount: 105, limit: 50)),
                .record(line: 4, ["3", "ok"]),
            ]
        )
    }

    @Test func brokenHeaderIsThrown() throws {
        var reader = CSVReader(source: MemorySource(Array("id,\"body\n1,x\n".utf8)))
        #expect(throws: CSVError.unterminatedQuote(line: 1, column: 4)) { try reader.readHeader() }
    }

    @Test func unreadableSourceIsThrown() throws {
        let file = GzipWriter.gzip("id,body\n" + (1...1_000).map { "\($0),text \($0)\n" }.joined())
        let source = try GzipSource(MemorySource(Array(file.dropLast(8)), name: "t.csv.gz"))
        var reader = CSVReader(source: source)
        var records = 0
        do {
            while let next = try reader.nextRecord() {
                if case .success = next { records += 1 }
            }
            Issue.record("a truncated file must not end quietly")
        } catch {
            guard case .unreadable(.truncatedGzip) = error else {
                Issue.record("expected a truncated gzip, got \(error)")
                return
            }
        }
        #expect(records == 1_000)
    }

    @Test(arguments: [
        (CSVError.unterminatedQuote(line: 3, column: 5), "unterminated quoted field starting at line 3, column 5"),
        (
            .textAfterClosingQuote(line: 2, column: 7),
            "text after the closing quote at line 2, column 7 (a quote inside a quoted field is written twice)"
        ),
        (
            .wrongFieldCount(line: 4, column: 9, expected: 2, found: 3),
            "record has 3 fields where the header has 2 (line 4, column 9)"
        ),
        (
            .recordTooLarge(line: 5, byteCount: 2_000, limit: 1_024),
            "record starting at line 5 is over the limit of 1024 bytes (2000 bytes skipped)"
        ),
        (
            .missingColumn(name: "text", available: ["id", "body"]),
            #"no column named "text"; the header has: "id", "body""#
        ),
    ])
    func messages(error: CSVError, message: String) {
        #expect(error.description == message)
    }
}
