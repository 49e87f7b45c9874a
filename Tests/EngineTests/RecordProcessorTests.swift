import Engine
import Foundation
import Moderation
import Testing

struct RecordProcessorTests {
    /// The package root: this file is `<root>/Tests/EngineTests/RecordProcessorTests.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The repository's lexicons and policy, loaded once for every test.
    static let loaded: Result<Pipeline, any Error> = Result {
        try Pipeline.load(lexicons: packageRoot.appendingPathComponent("lexicons").path)
    }

    static func processor(
        format: InputFormat = .jsonl,
        sourceName: String = "stdin",
        maxRecordBytes: Int = 4096
    ) throws -> RecordProcessor {
        RecordProcessor(
            pipeline: try loaded.get(),
            format: format,
            sourceName: sourceName,
            maxRecordBytes: maxRecordBytes
        )
    }

    /// A batch of `lines`, numbered from `firstNumber`.
    static func batch(_ lines: [[UInt8]], firstNumber: Int = 1) -> LineBatch {
        var batch = LineBatch()
        for (offset, line) in lines.enumerated() { batch.append(line, number: firstNumber + offset) }
        return batch
    }

    static func batch(_ lines: [String], firstNumber: Int = 1) -> LineBatch {
        batch(lines.map { Array($0.utf8) }, firstNumber: firstNumber)
    }

    /// The output split into lines (without their newlines).
    static func lines(_ output: BatchOutput) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        output.forEachRecord { _, line in
            lines.append(line.dropLast())
        }
        return lines
    }

    static func json(_ line: ArraySlice<UInt8>) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line))
        return try #require(object as? [String: Any])
    }

    /// The code points `start..<end` of `text`.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start <= end, end <= scalars.count else {
            return "<\(start)..<\(end) out of \(scalars.count)>"
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    static func sampleLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("samples/\(name)"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    // MARK: - Loading

    @Test func repositoryLexiconsLoad() throws {
        let pipeline = try Self.loaded.get()
        #expect(pipeline.rules.directory.hasSuffix("/lexicons"))
        #expect(pipeline.rules.hash.hasPrefix("sha256:"))
        #expect(pipeline.rules.hash.count == "sha256:".count + 64)
    }

    @Test func missingLexiconsFolderIsAnError() {
        #expect(throws: EngineError.self) {
            try Pipeline.load(lexicons: "/nonexistent/lexicons")
        }
    }

    // MARK: - Order

    /// About 500 records: the samples, repeated with new ids, plus generated ones of varied length.
    static func generatedRecords() throws -> [String] {
        let samples = try sampleLines("posts.jsonl") + sampleLines("html.jsonl")
        var records: [String] = []
        var index = 0
        while records.count < 500 {
            let sample = samples[index % samples.count]
            if index % 3 == 0 {
                records.append(sample)
            } else {
                let words = ["hello", "cashapp", "lovely", "ｖｅｎｍｏ", "set", "café", "✨", "telegram", "idiot", "sunset"]
                let body = (0..<(index % 17 + 1)).map { words[($0 * 7 + index) % words.count] }.joined(separator: " ")
                records.append(#"{"id":"g_\#(index)","body":"\#(body)","surface":"dm","seq":\#(index)}"#)
            }
            index += 1
        }
        return records
    }

    @Test func outputIsInInputOrderWhateverTheWorkers() throws {
        let records = try Self.generatedRecords()
        let batch = Self.batch(records)
        // A processor remembers recent posts (campaigns), so each run gets a fresh one.
        let serial = try Self.processor().process(batch, workers: 1)
        let parallel = try Self.processor().process(batch, workers: 4)
        #expect(serial.bytes == parallel.bytes, "outputs differ")
        #expect(serial.records.count == records.count)
        #expect(parallel.records.count == records.count)
        #expect(serial.records.map(\.end) == parallel.records.map(\.end), "record ends differ")
        #expect(serial.messages.isEmpty && parallel.messages.isEmpty)
        let lines = Self.lines(parallel)
        try #require(lines.count == records.count)
        for (input, output) in zip(records, lines) {
            let inputID = try Self.json(ArraySlice(input.utf8))["id"] as? String
            #expect(try Self.json(output)["id"] as? String == inputID)
        }
    }

    /// Slices hand their normalization caches on to the next slices through a lock; with many small slices of
    /// non-ASCII posts on many workers the lock is contended. A contended `Synchronization.Mutex` hid the hand-over
    /// from ThreadSanitizer, which then reported a race in `SharedCaches.take` (`make tsan`); the output must not
    /// depend on which worker's cache a slice gets.
    @Test func normalizationCachesHandedOverBetweenWorkers() throws {
        let lines = (0..<1_000).map { Array(#"{"id":"p\#($0)","body":"Ｃａｓｈ ａｐｐ café \#($0) ﬁne straße"}"#.utf8) }
        let batch = Self.batch(lines)
        let processor = try Self.processor()
        let serial = processor.process(batch, workers: 1).bytes
        for _ in 0..<3 {
            #expect(processor.process(batch, workers: 8).bytes == serial)
        }
    }

    @Test func everyInputLineGetsOneOutputLine() throws {
        let lines = [
            "{\"body\":\"ok\"}", "", "nope", "{\"body\":\"fine\"}", "{}", "{\"body\":\"x\",\"format\":\"html\"}",
        ]
        for workers in [1, 2, 4] {
            let output = try Self.processor().process(Self.batch(lines), workers: workers)
            #expect(output.records.count == lines.count)
            #expect(output.records.map(\.isError) == [false, true, true, false, true, false])
            #expect(output.bytes.filter { $0 == 0x0A }.count == lines.count)
            #expect(output.messages.count == 3)
        }
    }

    // MARK: - Bad input

    static func invalidUTF8(_ prefix: String, _ suffix: String) -> [UInt8] {
        Array(prefix.utf8) + [0xFF] + Array(suffix.utf8)
    }

    @Test(
        arguments: [
            (Array("hello world".utf8), 1, "not JSON: expected a JSON object"),
            (Array(#"{"body": "x""#.utf8), 13, "not JSON: unexpected end of input"),
            (Array(#"{"body":"é" x}"#.utf8), 13, "not JSON: expected ',' or '}' after object member"),
            ([], 1, "empty line"),
            (Array("  \t".utf8), 4, "empty line"),
            (Array(#"{"id":"p_1"}"#.utf8), 1, #"record has no "body" string"#),
            (Array(#"{"body":5}"#.utf8), 1, #"record has no "body" string"#),
            (Array(#"{"body":null,"text":"x"}"#.utf8), 1, #"record has no "body" string"#),
            (invalidUTF8(#"{"body":"caf"#, #""}"#), 13, "invalid UTF-8 at byte 13"),
            (invalidUTF8(#"{"body":"é"#, #""}"#), 11, "invalid UTF-8 at byte 12"),
            (
                Array(#"{"body":"x","format":"markdown"}"#.utf8), 1,
                #"unknown "format" 'markdown'; expected text or html"#
            ),
            (
                Array((#"{"body":""# + String(repeating: "<div>", count: 257) + "x" + #"","format":"html"}"#).utf8), 1,
                "HTML nests deeper than 256 elements"
            ),
        ] as [([UInt8], Int, String)]
    )
    func badLinesBecomeOneErrorRecord(line: [UInt8], column: Int, reason: String) throws {
        let good = Array(#"{"id":"ok","body":"fine"}"#.utf8)
        let output = try Self.processor().process(Self.batch([good, line, good], firstNumber: 6), workers: 1)
        try Self.expectOneError(output, line: 7, column: column, reason: reason, raw: line)
    }

    @Test func oversizedLinesBecomeOneErrorRecord() throws {
        var batch = Self.batch([#"{"body":"fine"}"#], firstNumber: 6)
        batch.appendOversized(byteCount: 5000, number: 7)
        batch.append(Array(#"{"body":"fine"}"#.utf8), number: 8)
        let output = try Self.processor(maxRecordBytes: 4096).process(batch, workers: 1)
        try Self.expectOneError(
            output,
            line: 7,
            column: 1,
            reason: "record is 5000 bytes, over the limit of 4096 (--max-record-bytes)",
            raw: []
        )
    }

    static func expectOneError(
        _ output: BatchOutput,
        line: Int,
        column: Int,
        reason: String,
        raw: [UInt8],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(output.records.map(\.isError) == [false, true, false], sourceLocation: sourceLocation)
        #expect(output.records.map(\.action) == [.allow, .review, .allow], sourceLocation: sourceLocation)
        #expect(output.messages == ["stdin:\(line):\(column): \(reason)"], sourceLocation: sourceLocation)
        let lines = Self.lines(output)
        try #require(lines.count == 3, sourceLocation: sourceLocation)
        let record = try Self.json(lines[1])
        let error = try #require(record["error"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(error["source"] as? String == "stdin", sourceLocation: sourceLocation)
        #expect(error["line"] as? Int == line, sourceLocation: sourceLocation)
        #expect(error["column"] as? Int == column, sourceLocation: sourceLocation)
        #expect(error["reason"] as? String == reason, sourceLocation: sourceLocation)
        #expect(
            record["raw"] as? String == String(decoding: raw.prefix(1024), as: UTF8.self),
            sourceLocation: sourceLocation
        )
        let moderation = try #require(record["moderation"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(moderation["action"] as? String == "review", sourceLocation: sourceLocation)
        #expect(moderation["queue"] as? String == "errors", sourceLocation: sourceLocation)
        #expect((moderation["findings"] as? [Any])?.isEmpty == true, sourceLocation: sourceLocation)
    }

    @Test func errorRecordsKeepOnlyTheStartOfALongLine() throws {
        let line = "x" + String(repeating: "y", count: 3000)
        let output = try Self.processor().process(Self.batch([line]), workers: 1)
        let record = try Self.json(try #require(Self.lines(output).first))
        #expect((record["raw"] as? String)?.count == VerdictEncoder.rawExcerptBytes)
    }

    // MARK: - Pass-through

    @Test(arguments: [
        #"{"id":"p_9","body":"send it to my cashapp","lang":"en","meta":{"n":[1,2.50,1e3,-0.0],"s":"caf\u00e9 \"q\"","t":true,"z":null},"score":0.10}"#,
        #"{ "body" : "lovely sunset" , "nested" : { "body" : "inner" } , "list" : [ ] }  "#,
        #"{"body":"x","author":{"id":7,"role":"fan","extra":"kept"},"to":{"role":"creator"},"surface":"dm","created_at":"2026-11-24T10:00:00Z","id":"p_1"}"#,
    ])
    func unknownFieldsPassThroughByteForByte(line: String) throws {
        let output = try Self.processor().process(Self.batch([line]), workers: 1)
        let outputLine = try #require(Self.lines(output).first)
        // The record is copied up to its closing brace, then `moderation` is appended.
        let original = Array(line.utf8)
        let close = try #require(original.lastIndex(of: UInt8(ascii: "}")))
        #expect(Array(outputLine.prefix(close)) == Array(original[..<close]))
        let input = try Self.json(ArraySlice(original))
        let parsed = try Self.json(outputLine)
        for (key, value) in input {
            #expect((parsed[key] as? NSObject) == (value as? NSObject), "field \(key)")
        }
        #expect(Set(parsed.keys).subtracting(input.keys).isSubset(of: ["moderation", "id"]))
        let moderation = try #require(parsed["moderation"] as? [String: Any])
        #expect(moderation["engine"] as? String == "triage 0.1.0")
        #expect((moderation["policy"] as? String)?.hasPrefix("sha256:") == true)
    }

    @Test(arguments: ["stdin", "posts.jsonl", "/data/dump 2.jsonl"])
    func missingIDsComeFromTheSourceAndLine(sourceName: String) throws {
        let lines = [#"{"id":"given","body":"a"}"#, #"{"body":"b"}"#, "{}", #"{"body":"d","id":12}"#, #"{"body":"e"}"#]
        let output = try Self.processor(sourceName: sourceName).process(Self.batch(lines, firstNumber: 40), workers: 1)
        let records = try Self.lines(output).map { try Self.json($0) }
        #expect(records.map { $0["id"] as? String } == ["given", "\(sourceName):41", nil, nil, "\(sourceName):44"])
        #expect(records[3]["id"] as? Int == 12)
        #expect((records[2]["error"] as? [String: Any])?["source"] as? String == sourceName)
        #expect(output.messages == [#"\#(sourceName):42:1: record has no "body" string"#])
    }

    @Test func textInputWrapsEachLine() throws {
        let lines = ["send it to my cashapp", "", "plain \"quoted\" text ✨"]
        let output = try Self.processor(format: .text, sourceName: "posts.txt").process(Self.batch(lines), workers: 1)
        let records = try Self.lines(output).map { try Self.json($0) }
        #expect(records.map { $0["id"] as? String } == ["posts.txt:1", "posts.txt:2", "posts.txt:3"])
        #expect(records.map { $0["body"] as? String } == lines)
        #expect(output.records.map(\.action) == [.review, .allow, .allow])
    }

    // MARK: - Findings point at the original text

    @Test(arguments: [
        (#"{"body":"send it to my cashapp"}"#, "body", "cashapp", 14),
        (#"{"body":"Café … cashapp ✨ then ＶＥＮＭＯ me"}"#, "body", "cashapp", 7),
        (#"{"body":"Café … cashapp ✨ then ＶＥＮＭＯ me"}"#, "body", "ＶＥＮＭＯ me", 22),
        (#"{"body":"E\u0301cole 👩‍👩‍👧 ﬁne, cash\u200Bapp"}"#, "body", "cash\u{200B}app", 18),
        (
            #"{"body":"<p>Café ❤️ &amp; love <span style=\"display:none\">pay me directly on cashapp</span></p>","format":"html"}"#,
            "text", "pay me directly", 15
        ),
        (
            #"{"body":"<p>tip me at <b>cash.app/$lolavip</b></p>","format":"html","surface":"dm"}"#, "text",
            "cash.app/$lolavip", 10
        ),
    ])
    func findingsPointAtTheOriginalText(line: String, field: String, excerpt: String, start: Int) throws {
        let output = try Self.processor().process(Self.batch([line]), workers: 1)
        let record = try Self.json(try #require(Self.lines(output).first))
        let moderation = try #require(record["moderation"] as? [String: Any])
        let findings = try #require(moderation["findings"] as? [[String: Any]])
        let original = try #require((field == "text" ? moderation["text"] : record["body"]) as? String)
        #expect(findings.contains { $0["excerpt"] as? String == excerpt && $0["start"] as? Int == start })
        try Self.expectExcerptsMatch(findings, original: original, text: moderation["text"] as? String)
    }

    /// Every finding's excerpt is exactly the code points `start..<end` of its field.
    static func expectExcerptsMatch(
        _ findings: [[String: Any]],
        original: String,
        text: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for finding in findings {
            let rule = finding["rule"] as? String ?? "?"
            guard rule != "engine.limit" else { continue }
            let start = try #require(finding["start"] as? Int)
            let end = try #require(finding["end"] as? Int)
            let field = try #require(finding["field"] as? String)
            let base = try #require(field == "text" ? text : original)
            #expect(field == "body" || field == "text", sourceLocation: sourceLocation)
            #expect(start < end, "\(rule)", sourceLocation: sourceLocation)
            #expect(finding["excerpt"] as? String == slice(base, start, end), "\(rule)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["posts.jsonl", "html.jsonl"])
    func sampleFindingsPointAtTheOriginalText(sample: String) throws {
        let lines = try Self.sampleLines(sample)
        let output = try Self.processor().process(Self.batch(lines), workers: 2)
        #expect(output.messages.isEmpty)
        let records = try Self.lines(output).map { try Self.json($0) }
        #expect(records.count == lines.count)
        var actions: Set<String> = []
        for record in records {
            let moderation = try #require(record["moderation"] as? [String: Any])
            actions.insert(moderation["action"] as? String ?? "?")
            let findings = try #require(moderation["findings"] as? [[String: Any]])
            try Self.expectExcerptsMatch(
                findings,
                original: try #require(record["body"] as? String),
                text: moderation["text"] as? String
            )
        }
        if sample == "posts.jsonl" { #expect(actions == ["allow", "review", "block"]) }
    }

    @Test func htmlVerdictsCarryTextAndLinks() throws {
        let line =
            #"{"id":"h","body":"<p>New set! <a href=\"https://example.com/beach\">See the beach set</a></p><script>evil()</script>","format":"html"}"#
        let output = try Self.processor().process(Self.batch([line]), workers: 1)
        let record = try Self.json(try #require(Self.lines(output).first))
        let moderation = try #require(record["moderation"] as? [String: Any])
        #expect(moderation["text"] as? String == "New set! See the beach set")
        let links = try #require(moderation["links"] as? [[String: String]])
        #expect(links == [["href": "https://example.com/beach", "text": "See the beach set"]])
    }

    @Test func deadlinesFollowCreatedAt() throws {
        let line =
            #"{"body":"send it to my cashapp","created_at":"2026-11-24T10:00:00+02:00","author":{"role":"fan"},"to":{"role":"creator"},"surface":"dm"}"#
        let output = try Self.processor().process(Self.batch([line]), workers: 1)
        let record = try Self.json(try #require(Self.lines(output).first))
        let moderation = try #require(record["moderation"] as? [String: Any])
        #expect(moderation["action"] as? String == "review")
        #expect(moderation["queue"] as? String == "offplatform.payment")
        #expect(moderation["priority"] as? String == "high")
        #expect(moderation["due_at"] as? String == "2026-11-24T16:00:00Z")
    }
}
