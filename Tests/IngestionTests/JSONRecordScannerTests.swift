import Testing

@testable import Ingestion

struct JSONRecordScannerTests {
    /// Scans `text` as one line.
    static func scan(_ text: String) throws -> RecordFields {
        try scan(bytes: Array(text.utf8))
    }

    /// Scans raw bytes, for lines that are not valid UTF-8.
    static func scan(bytes: [UInt8]) throws -> RecordFields {
        try bytes.withUnsafeBufferPointer { try JSONRecordScanner.scan($0) }
    }

    // MARK: - Extraction

    static let fullRecord = """
        {"id":"p1","body":"hello","format":"html","author":{"id":"u9","role":"fan","account_age_days":12},\
        "to":{"role":"creator"},"surface":"dm","created_at":"2025-01-12T10:22:33Z"}
        """

    @Test(
        arguments: [
            (\RecordFields.id, "p1"),
            (\RecordFields.body, "hello"),
            (\RecordFields.format, "html"),
            (\RecordFields.authorID, "u9"),
            (\RecordFields.authorRole, "fan"),
            (\RecordFields.recipientRole, "creator"),
            (\RecordFields.surface, "dm"),
            (\RecordFields.createdAt, "2025-01-12T10:22:33Z"),
        ] as [(any KeyPath<RecordFields, String?> & Sendable, String)]
    )
    func extractsStringField(field: any KeyPath<RecordFields, String?> & Sendable, expected: String) throws {
        #expect(try Self.scan(Self.fullRecord)[keyPath: field] == expected)
    }

    @Test func extractsAccountAge() throws {
        #expect(try Self.scan(Self.fullRecord).authorAccountAgeDays == 12)
    }

    @Test func ignoresUnknownFieldsAndNestedLookalikes() throws {
        let line = """
            {"x":{"body":"nested","id":"no"},"lang":"en","meta":[1,2.5e3,{"role":"r"},[],true,false,null],\
            "body":"top","author":{"name":"a","extra":{"role":"deep"}},"score":-0.25}
            """
        var expected = RecordFields()
        expected.body = "top"
        let top = try #require(line.utf8.firstRange(of: Array(#""top""#.utf8)))
        expected.bodyRange =
            line.utf8.distance(
                from: line.utf8.startIndex,
                to: top.lowerBound
            )..<line.utf8.distance(from: line.utf8.startIndex, to: top.upperBound)
        #expect(try Self.scan(line) == expected)
    }

    @Test func bodyRangeCoversTheStringValueWithItsQuotes() throws {
        let line = #"{"id":"a","body":"café, ok","n":1}"#
        let range = try #require(try Self.scan(line).bodyRange)
        #expect(String(decoding: Array(line.utf8)[range], as: UTF8.self) == #""café, ok""#)
        #expect(try Self.scan(#"{"body":5}"#).bodyRange == nil)
    }

    @Test(arguments: [
        (#"{"id":123}"#, "123"),
        (#"{"id":-4.5e2}"#, "-4.5e2"),
        (#"{"id":"abc"}"#, "abc"),
        (#"{"id":0}"#, "0"),
    ])
    func idFromStringOrNumber(line: String, expected: String) throws {
        #expect(try Self.scan(line).id == expected)
    }

    @Test func authorIDFromNumber() throws {
        let fields = try Self.scan(#"{"author":{"id":42,"role":"creator"}}"#)
        #expect(fields.authorID == "42")
        #expect(fields.authorRole == "creator")
    }

    @Test(arguments: [
        (#"{"author":{"account_age_days":0}}"#, 0 as Int?),
        (#"{"author":{"account_age_days":-3}}"#, -3),
        (#"{"author":{"account_age_days":1.5}}"#, nil),
        (#"{"author":{"account_age_days":1e3}}"#, nil),
        (#"{"author":{"account_age_days":"12"}}"#, nil),
        (#"{"author":{"account_age_days":99999999999999999999}}"#, nil),
        (#"{"author":{"account_age_days":-9223372036854775808}}"#, Int.min),
    ])
    func accountAge(line: String, expected: Int?) throws {
        #expect(try Self.scan(line).authorAccountAgeDays == expected)
    }

    @Test(arguments: [
        #"{"body":5}"#, #"{"body":null}"#, #"{"body":["x"]}"#, #"{"body":{"a":"b"}}"#, #"{"body":true}"#,
        #"{"body":"x","body":7}"#,
    ])
    func wrongTypeLeavesFieldNil(line: String) throws {
        #expect(try Self.scan(line).body == nil)
    }

    @Test func wrongTypeContainersLeaveNestedFieldsNil() throws {
        let fields = try Self.scan(#"{"author":"bob","to":[{"role":"fan"}],"id":{"a":1},"surface":false}"#)
        #expect(fields == RecordFields())
    }

    @Test func duplicateKeysLastWins() throws {
        let fields = try Self.scan(
            #"{"body":"a","body":"b","author":{"role":"fan","id":"1"},"author":{"role":"staff"},"#
                + #""to":{"role":"x","role":"y"}}"#
        )
        #expect(fields.body == "b")
        #expect(fields.authorRole == "staff")
        #expect(fields.authorID == nil)
        #expect(fields.recipientRole == "y")
    }

    @Test func escapedKeysStillMatch() throws {
        #expect(try Self.scan(#"{"b\u006fdy":"x","\u0061uthor":{"r\u006fle":"fan"}}"#).body == "x")
        #expect(try Self.scan(#"{"\u0061uthor":{"r\u006fle":"fan"}}"#).authorRole == "fan")
    }

    // MARK: - Strings

    @Test(arguments: [
        (#"\ud83d\ude00"#, "😀"),
        (#"\uD83D\uDE00!"#, "😀!"),
        (#"a\"b\\c\/d"#, "a\"b\\c/d"),
        (#"\b\f\n\r\t"#, "\u{08}\u{0C}\n\r\t"),
        (#"\u00e9\u4e2d\u0000"#, "é中\u{0}"),
        ("caf\u{E9} 中文 😀", "café 中文 😀"),
        (#"long text without escapes spanning several words"#, "long text without escapes spanning several words"),
        (#"x\u2028y"#, "x\u{2028}y"),
        ("", ""),
    ])
    func decodesBody(raw: String, expected: String) throws {
        #expect(try Self.scan(#"{"body":""# + raw + #""}"#).body == expected)
    }

    // MARK: - Structure

    @Test func emptyObject() throws {
        #expect(try Self.scan("{}") == RecordFields())
        #expect(try Self.scan("{ \t\r\n}") == RecordFields())
    }

    @Test(arguments: [" {\"body\":\"x\"} ", "\t{ \"body\" : \"x\" }\r\n", "\n\n{\"body\":\n\"x\"\n}"])
    func whitespaceAround(line: String) throws {
        #expect(try Self.scan(line).body == "x")
    }

    @Test func nestingUpTo512IsAccepted() throws {
        // The record's object is level 1, so 511 arrays inside it reach exactly 512.
        let line = #"{"a":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
        #expect(try Self.scan(line) == RecordFields())
    }

    @Test func nestingBeyond512IsRejected() throws {
        let line = #"{"a":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"
        #expect(throws: JSONScanError(offset: 5 + 511, reason: "nesting deeper than 512 levels")) {
            try Self.scan(line)
        }
        let objects = String(repeating: #"{"a":"#, count: 513) + String(repeating: "}", count: 513)
        #expect(throws: JSONScanError(offset: 512 * 5, reason: "nesting deeper than 512 levels")) {
            try Self.scan(objects)
        }
    }

    // MARK: - Errors

    @Test(arguments: [
        ("", 0, "expected a JSON object"),
        ("   ", 3, "expected a JSON object"),
        ("[]", 0, "expected a JSON object"),
        (#""x""#, 0, "expected a JSON object"),
        ("5", 0, "expected a JSON object"),
        (" null", 1, "expected a JSON object"),
        (#"{"a":1} x"#, 8, "trailing characters after the JSON object"),
        ("{}{}", 2, "trailing characters after the JSON object"),
        (#"{"a" 1}"#, 5, "expected ':' after object key"),
        (#"{"a":1,}"#, 6, "trailing comma in object"),
        (#"{"a":[1,]}"#, 7, "trailing comma in array"),
        (#"{"a":[1 2]}"#, 8, "expected ',' or ']' after array element"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' after object member"),
        (#"{a:1}"#, 1, "expected a string object key"),
        (#"{"a":"xyz}"#, 5, "unterminated string"),
        (#"{"a":"\q"}"#, 6, "invalid escape '\\q'"),
        (#"{"a":"x\ud83d"}"#, 7, "unpaired surrogate in \\u escape"),
        (#"{"a":"\ude00"}"#, 6, "unpaired surrogate in \\u escape"),
        (#"{"a":"\ud83d\u0041"}"#, 6, "unpaired surrogate in \\u escape"),
        (#"{"a":"\u12g4"}"#, 6, "invalid \\u escape: expected 4 hex digits"),
        ("{\"a\":\"x\ny\"}", 7, "control character in string"),
        (#"{"a":01}"#, 5, "leading zero in number"),
        (#"{"a":-}"#, 6, "expected a digit in number"),
        (#"{"a":1.}"#, 7, "expected a digit in number"),
        (#"{"a":1e+}"#, 8, "expected a digit in number"),
        (#"{"a":.5}"#, 5, "expected a value"),
        (#"{"a":NaN}"#, 5, "expected a value"),
        (#"{"a":nul}"#, 5, "invalid literal"),
        (#"{"a":tru}"#, 5, "invalid literal"),
        (#"{"a":1 // c"#, 7, "expected ',' or '}' after object member"),
        (#"{"a":1"#, 6, "unexpected end of input"),
        ("{", 1, "unexpected end of input"),
    ])
    func rejects(line: String, offset: Int, reason: String) {
        #expect(throws: JSONScanError(offset: offset, reason: reason)) {
            try Self.scan(line)
        }
    }

    @Test func exactErrorsForCommonMistakes() {
        #expect(throws: JSONScanError(offset: 8, reason: "expected ':' after object key")) {
            try Self.scan(#"{"body" "x"}"#)
        }
        #expect(throws: JSONScanError(offset: 14, reason: "trailing characters after the JSON object")) {
            try Self.scan(#"{"body":"x"}  ,"#)
        }
        #expect(throws: JSONScanError(offset: 9, reason: "invalid escape '\\q'")) {
            try Self.scan(#"{"body":"\q"}"#)
        }
        // An unterminated string is reported at its opening quote.
        #expect(throws: JSONScanError(offset: 8, reason: "unterminated string")) {
            try Self.scan(#"{"body":"never closed"#)
        }
    }

    @Test(arguments: [
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D] as [UInt8], 6),  // invalid lead byte
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D], 6),  // truncated sequence
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D], 6),  // overlong "/"
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], 6),  // encoded surrogate
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x7D], 6),  // above U+10FFFF
        ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x78, 0xE2, 0x82], 7),  // truncated at end of line
    ])
    func rejectsInvalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(throws: JSONScanError(offset: offset, reason: "invalid UTF-8")) {
            try Self.scan(bytes: bytes)
        }
    }

    @Test func controlCharacterOffsetInsideLongString() {
        // Past the 8-byte fast path, the exact offending byte must still be reported.
        let line = #"{"body":"0123456789abcdef"# + "\u{1}" + #""}"#
        #expect(throws: JSONScanError(offset: 25, reason: "control character in string")) {
            try Self.scan(line)
        }
    }

    // MARK: - Writer

    @Test(arguments: [
        "plain", "", "quote \" and backslash \\", "lines\nand\rtabs\t\u{8}\u{C}", "nul \u{0} and \u{1F} and \u{7F}",
        "separators \u{2028} \u{2029}", "emoji 😀 and é 中", "ends with escape\n", "\u{E2}\u{2028}",
    ])
    func writerRoundTrips(text: String) throws {
        var line: [UInt8] = Array(#"{"body":"#.utf8)
        JSONWriter.appendString(text, to: &line)
        line.append(0x7D)
        #expect(try Self.scan(bytes: line).body == text)
    }

    @Test(arguments: [
        ("a\"b", #""a\"b""#),
        ("\\", #""\\""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{1}\u{1F}", #""\u0001\u001f""#),
        ("\u{2028}x\u{2029}", #""\u2028x\u2029""#),
        ("é😀", "\"é😀\""),
    ])
    func writerEscapes(text: String, expected: String) {
        var buffer: [UInt8] = []
        JSONWriter.appendString(text, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
        var fromBytes: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { JSONWriter.appendString(utf8: $0, to: &fromBytes) }
        #expect(fromBytes == buffer)
    }

    @Test(
        arguments: [
            (0.81, "0.81"), (1, "1"), (0, "0"), (0.3333333, "0.3333"), (-0.0, "0"), (-1.5, "-1.5"), (0.00004, "0"),
            (-0.00004, "0"), (0.99996, "1"), (12.34567, "12.3457"), (0.1, "0.1"), (0.0001, "0.0001"), (100, "100"),
            (.nan, "0"), (.infinity, "0"), (-.infinity, "0"), (1e20, "100000000000000000000"),
            (-2e19, "-20000000000000000000"),
        ] as [(Double, String)]
    )
    func appendNumber(value: Double, expected: String) {
        var buffer: [UInt8] = []
        JSONWriter.appendNumber(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (0, "0"), (42, "42"), (-7, "-7"), (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808"),
    ])
    func appendInteger(value: Int, expected: String) {
        var buffer: [UInt8] = [0x5B]
        JSONWriter.appendInteger(value, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "[" + expected)
    }
}
