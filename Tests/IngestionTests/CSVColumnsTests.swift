import Ingestion
import Testing

struct CSVColumnsTests {
    /// The first record of `csv`, which must read cleanly.
    static func firstRecord(_ csv: [UInt8]) throws -> CSVRecord {
        var reader = CSVReader(source: MemorySource(csv))
        return try #require(try reader.nextRecord()).get()
    }

    @Test func recordBecomesAJSONLineWithEscapes() throws {
        let record = try Self.firstRecord(Array("author,post_id,text\nu1,p-7,\"say \"\"hi\"\"\n\tthere \\ ☕\"\n".utf8))
        let columns = try CSVColumns(header: ["author", "post_id", "text"], body: "text", id: "post_id")
        #expect(columns.bodyIndex == 2)
        #expect(columns.idIndex == 1)
        let line = String(decoding: try columns.jsonLine(for: record), as: UTF8.self)
        #expect(line == #"{"id":"p-7","body":"say \"hi\"\n\tthere \\ ☕"}"#)
    }

    @Test func emptyOrAbsentIDIsLeftOut() throws {
        let record = try Self.firstRecord(Array("id,body\n,hello\n".utf8))
        let withID = try CSVColumns(header: ["id", "body"], body: "body", id: "id")
        #expect(String(decoding: try withID.jsonLine(for: record), as: UTF8.self) == #"{"body":"hello"}"#)
        let withoutID = try CSVColumns(header: ["id", "body"], body: "body")
        #expect(String(decoding: try withoutID.jsonLine(for: record), as: UTF8.self) == #"{"body":"hello"}"#)
    }

    @Test func columnsMatchExactlyThenIgnoringCaseAndSpaces() throws {
        #expect(try CSVColumns(header: ["Body", "body"], body: "body").bodyIndex == 1)
        let loose = try CSVColumns(header: ["ID", " Message Text "], body: "message text", id: "id")
        #expect(loose.bodyIndex == 1)
        #expect(loose.bodyName == " Message Text ")
        #expect(loose.idIndex == 0)
    }

    @Test func missingColumnNamesTheAvailableOnes() {
        #expect(throws: CSVError.missingColumn(name: "text", available: ["id", "body"])) {
            try CSVColumns(header: ["id", "body"], body: "text")
        }
        #expect(throws: CSVError.missingColumn(name: "uid", available: ["id", "body"])) {
            try CSVColumns(header: ["id", "body"], body: "body", id: "uid")
        }
        // Two loose matches are as good as none: the name must say which.
        #expect(throws: CSVError.missingColumn(name: "body", available: ["Body", "BODY"])) {
            try CSVColumns(header: ["Body", "BODY"], body: "body")
        }
    }

    @Test func invalidUTF8IsAnErrorAtTheField() throws {
        let record = try Self.firstRecord(Array("id,body\n1,\"ok".utf8) + [0xFF] + Array("\"\n".utf8))
        let columns = try CSVColumns(header: ["id", "body"], body: "body", id: "id")
        var buffer = Array("kept".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 2, column: 3, columnName: "body")) {
            try columns.appendJSONLine(for: record, to: &buffer)
        }
        #expect(buffer == Array("kept".utf8))
    }
}
