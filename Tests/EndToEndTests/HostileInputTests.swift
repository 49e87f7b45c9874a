import Foundation
import Testing

/// Hostile bytes and inputs past the limits, through the real binary: each record still yields exactly one
/// verdict or one error record, in order, with a location for the error, and the run goes on.
struct HostileInputTests {
    /// One JSON line with a newline.
    static func line(_ text: String) -> Data { Data((text + "\n").utf8) }

    /// The `moderation` object of an output line.
    static func moderation(_ line: Data) throws -> [String: Any] {
        try #require(try TriageTests.json(line)["moderation"] as? [String: Any])
    }

    /// The `error` object of an error record, or `nil` for a verdict.
    static func error(_ line: Data) throws -> [String: Any]? {
        try TriageTests.json(line)["error"] as? [String: Any]
    }

    /// Runs `filter` and checks what every test here needs: no crash, one output line per input line.
    static func filter(
        _ input: Data,
        lines count: Int,
        _ extra: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TriageTests.Run {
        let result = try TriageTests.filter(input, extra)
        #expect(result.reason == .exit, sourceLocation: sourceLocation)
        TriageTests.expectNoCrashReport(result.stderr, sourceLocation: sourceLocation)
        #expect(result.stdoutLines.count == count, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// A lexicons folder with the shipped policy and one extra rule file.
    static func lexicons(with name: String, _ rules: String) throws -> URL {
        let folder = try TriageTests.makeTemporaryDirectory()
        try FileManager.default.copyItem(
            atPath: TriageTests.lexicons + "/policy.yml",
            toPath: folder.appendingPathComponent("policy.yml").path
        )
        try rules.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return folder
    }

    // MARK: - Hostile bytes

    @Test func invalidUTF8IsAnErrorRecordWithItsColumn() throws {
        var input = Self.line(#"{"id":"a","body":"hi"}"#)
        input.append(Data(#"{"id":"b","body":"caf"#.utf8) + [0xC3, 0x28] + Data("\"}\n".utf8))
        input.append(Data(#"{"id":"c","body":"#.utf8) + [0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])
        input.append(Self.line(#"{"id":"d","body":"bye"}"#))
        let result = try Self.filter(input, lines: 4)
        #expect(result.status == 1)
        let lines = result.stdoutLines
        let second = try #require(try Self.error(lines[1]))
        #expect(second["line"] as? Int == 2)
        #expect(second["column"] as? Int == 22)
        #expect((second["reason"] as? String)?.hasPrefix("invalid UTF-8 at byte 22") == true)
        #expect(try Self.error(lines[2])?["line"] as? Int == 3)
        #expect(try TriageTests.json(lines[3])["id"] as? String == "d")
        #expect(result.stderr.contains("stdin:2:22: invalid UTF-8"))
        #expect(result.stderr.contains("2 of 4 input lines could not be read"))
    }

    @Test func nulBytesAreReadOrRefusedButNeverCutTheLine() throws {
        var input = Self.line(#"{"id":"escaped","body":"a\u0000b cashapp"}"#)
        // A raw NUL inside a JSON string is not JSON (control characters must be escaped).
        input.append(Data(#"{"id":"raw","body":"a"#.utf8) + [0x00] + Data("b\"}\n".utf8))
        input.append(Self.line(#"{"id":"after","body":"hi"}"#))
        let result = try Self.filter(input, lines: 3)
        #expect(result.status == 1)
        let lines = result.stdoutLines
        #expect(try Self.error(lines[0]) == nil)
        #expect(try Self.moderation(lines[0])["action"] as? String == "review")
        let raw = try #require(try Self.error(lines[1]))
        #expect(raw["line"] as? Int == 2)
        #expect(raw["column"] as? Int == 22)
        #expect(try TriageTests.json(lines[2])["id"] as? String == "after")
        // As plain text, a NUL is just a character of the post.
        let text = try Self.filter(Data("a\u{0}b\nsecond\n".utf8), lines: 2, ["--input", "text"])
        #expect(text.status == 0)
    }

    @Test func aByteOrderMarkBeforeTheFirstRecordIsSkipped() throws {
        let input =
            Data([0xEF, 0xBB, 0xBF]) + Self.line(#"{"id":"a","body":"hi"}"#) + Self.line(#"{"id":"b","body":"x"}"#)
        let result = try Self.filter(input, lines: 2)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try TriageTests.json(result.stdoutLines[0])["id"] as? String == "a")
    }

    @Test func crlfLineEndingsReadAsLines() throws {
        let input = Data("{\"id\":\"a\",\"body\":\"hi\"}\r\n{\"id\":\"b\",\"body\":\"my cashapp\"}\r\n".utf8)
        let result = try Self.filter(input, lines: 2)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try TriageTests.json(result.stdoutLines[1])["id"] as? String == "b")
        #expect(try Self.moderation(result.stdoutLines[1])["action"] as? String == "review")
        let text = try Self.filter(Data("first post\r\nsecond post\r\n".utf8), lines: 2, ["--input", "text"])
        #expect(text.status == 0)
        #expect(try TriageTests.json(text.stdoutLines[0])["body"] as? String == "first post")
    }

    /// RFC 8259 leaves an unpaired `\ud800` undefined; it cannot become UTF-8, so it is an error record.
    @Test func loneSurrogateEscapesAreErrorRecordsWithTheirColumn() throws {
        var input = Self.line(#"{"id":"lone","body":"a\ud800b cashapp"}"#)
        input.append(Self.line(#"{"id":"low","body":"\udc00"}"#))
        input.append(Self.line(#"{"id":"pair","body":"\ud83d\ude00 my cashapp"}"#))
        let result = try Self.filter(input, lines: 3)
        #expect(result.status == 1)
        let lines = result.stdoutLines
        for (index, line) in lines.prefix(2).enumerated() {
            let error = try #require(try Self.error(line))
            #expect(error["line"] as? Int == index + 1)
            #expect((error["column"] as? Int ?? 0) > 20)
            #expect(error["reason"] as? String == "not JSON: unpaired surrogate in \\u escape")
        }
        #expect(try Self.moderation(lines[2])["action"] as? String == "review")
        #expect(result.stderr.contains("stdin:1:"))
        // Every output line is valid UTF-8, whatever the escapes said.
        for line in lines { #expect(String(validating: line, as: UTF8.self) != nil) }
    }

    @Test func aFiftyMegabyteLineIsAnErrorRecordAndTheRunGoesOn() throws {
        var input = Self.line(#"{"id":"before","body":"hi"}"#)
        input.append(Data(#"{"id":"huge","body":""#.utf8))
        input.append(Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        input.append(Data("\"}\n".utf8))
        input.append(Self.line(#"{"id":"after","body":"my cashapp"}"#))
        let result = try Self.filter(input, lines: 3)
        #expect(result.status == 1)
        let error = try #require(try Self.error(result.stdoutLines[1]))
        #expect(error["line"] as? Int == 2)
        #expect(error["column"] as? Int == 1)
        #expect(
            error["reason"] as? String == "record is 52428823 bytes, over the limit of 1048576 (--max-record-bytes)"
        )
        #expect(result.stdoutLines[1].count < 1 << 20, "an error record carries only the start of the line")
        #expect(try Self.moderation(result.stdoutLines[2])["action"] as? String == "review")
        #expect(result.stderr.contains("stdin:2:1: record is 52428823 bytes"))
    }

    /// `--max-record-bytes` lowers (or raises) the limit; a record at the limit is read.
    @Test func maxRecordBytesIsTheLimit() throws {
        let record = #"{"id":"x","body":"\#(String(repeating: "b", count: 100))"}"#
        let input = Self.line(record) + Self.line(#"{"id":"y","body":"hi"}"#)
        let atLimit = try Self.filter(input, lines: 2, ["--max-record-bytes", "\(record.utf8.count)"])
        #expect(atLimit.status == 0)
        let over = try Self.filter(input, lines: 2, ["--max-record-bytes", "\(record.utf8.count - 1)"])
        #expect(over.status == 1)
        #expect(try Self.error(over.stdoutLines[0])?["line"] as? Int == 1)
        #expect(try Self.error(over.stdoutLines[1]) == nil)
    }

    @Test func tenThousandDeepHTMLIsAnErrorRecordNotAStackOverflow() throws {
        let deep = String(repeating: "<div>", count: 10_000) + "deep" + String(repeating: "</div>", count: 10_000)
        var input = Self.line(#"{"id":"deep","format":"html","body":"\#(deep)"}"#)
        input.append(Self.line(#"{"id":"after","format":"html","body":"<p>my cashapp</p>"}"#))
        let result = try Self.filter(input, lines: 2)
        #expect(result.status == 1)
        let error = try #require(try Self.error(result.stdoutLines[0]))
        #expect(error["line"] as? Int == 1)
        #expect(error["reason"] as? String == "HTML nests deeper than 256 elements")
        #expect(try Self.moderation(result.stdoutLines[1])["action"] as? String == "review")

        // The same page as a file in a scan.
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("in"),
            withIntermediateDirectories: true
        )
        try deep.write(to: folder.appendingPathComponent("in/deep.html"), atomically: true, encoding: .utf8)
        try "<p>fine</p>".write(to: folder.appendingPathComponent("in/fine.html"), atomically: true, encoding: .utf8)
        let scan = try TriageTests.run([
            "scan", folder.appendingPathComponent("in").path, "--out", folder.appendingPathComponent("out").path,
            "--lexicons", TriageTests.lexicons,
        ])
        #expect(scan.status == 1)
        TriageTests.expectNoCrashReport(scan.stderr)
        let records = try ScanTests.records(in: folder.appendingPathComponent("out"))
        #expect(records["errors"]?.count == 1)
        #expect(ScanTests.outputs.reduce(0) { $0 + (records[$1]?.count ?? 0) } == 2)
        let scanError = try #require(records["errors"]?.first?["error"] as? [String: Any])
        #expect(scanError["reason"] as? String == "HTML nests deeper than 256 elements")
        #expect((scanError["source"] as? String)?.hasSuffix("deep.html") == true)
    }

    @Test func htmlWithTooManyNodesIsAnErrorRecord() throws {
        let wide = String(repeating: "<i>a</i>", count: 60_000)
        let input = Self.line(#"{"id":"wide","format":"html","body":"\#(wide)"}"#) + Self.line(#"{"body":"hi"}"#)
        let result = try Self.filter(input, lines: 2)
        #expect(result.status == 1)
        #expect(try Self.error(result.stdoutLines[0])?["reason"] as? String == "HTML has more than 100000 nodes")
        #expect(try Self.error(result.stdoutLines[1]) == nil)
    }

    /// libxml2's HTML parser never expands entities declared in an internal subset: no billion laughs.
    @Test func billionLaughsEntitiesAreNotExpanded() throws {
        var entities = #"<!ENTITY lol0 'lol'>"#
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) '" + String(repeating: "&lol\(level - 1);", count: 10) + "'>"
        }
        let page = "<!DOCTYPE html [\(entities)]><html><body><p>&lol9; cashapp</p></body></html>"
        let body = page.replacingOccurrences(of: "\"", with: "\\\"")
        let input = Self.line(#"{"id":"laughs","format":"html","body":"\#(body)"}"#) + Self.line(#"{"body":"hi"}"#)
        let started = Date()
        let result = try Self.filter(input, lines: 2)
        #expect(Date().timeIntervalSince(started) < 10)
        let moderation = try Self.moderation(result.stdoutLines[0])
        let text = try #require(moderation["text"] as? String)
        #expect(text.count < 1_000)
        #expect(!text.contains("lollol"))
        #expect(try Self.error(result.stdoutLines[1]) == nil)
    }

    /// A million records take a debug build about 25 s of CPU, so the full count is opt-in
    /// (`TRIAGE_SLOW_TESTS=1`); by default the same checks run on 100,000.
    @Test func aMillionTinyRecordsComeOutInOrder() throws {
        let isSlowRun = ProcessInfo.processInfo.environment["TRIAGE_SLOW_TESTS"] == "1"
        let count = isSlowRun ? 1_000_000 : 100_000
        var input = Data()
        input.reserveCapacity(count * 24)
        for index in 0..<count { input.append(contentsOf: #"{"id":"\#(index)","body":"x"}"#.utf8 + [0x0A]) }
        let result = try Self.filter(input, lines: count, ["--no-campaigns"])
        #expect(result.status == 0)
        var index = 0
        var outOfOrder = 0
        for line in result.stdout.split(separator: 0x0A) {
            if !line.starts(with: #"{"id":"\#(index)","#.utf8) { outOfOrder += 1 }
            index += 1
        }
        #expect(index == count)
        #expect(outOfOrder == 0)
    }

    /// The same hostile bytes in a file that `scan` reads: one output line per record, each error with its
    /// file, line and column, and the scan goes on.
    @Test func scanReadsHostileBytesWithLocations() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var file = Data([0xEF, 0xBB, 0xBF]) + Data("{\"id\":\"bom\",\"body\":\"hi\"}\r\n".utf8)
        file.append(Data(#"{"id":"bad","body":"caf"#.utf8) + [0xC3, 0x28] + Data("\"}\n".utf8))
        file.append(Data(#"{"id":"nul","body":"a"#.utf8) + [0x00] + Data("b\"}\n".utf8))
        file.append(Self.line(#"{"id":"lone","body":"\ud800"}"#))
        file.append(Data(#"{"id":"huge","body":""#.utf8) + Data(repeating: 0x61, count: 5 << 20) + Data("\"}\n".utf8))
        file.append(Self.line(#"{"id":"last","body":"my cashapp"}"#))
        let input = folder.appendingPathComponent("hostile.jsonl")
        try file.write(to: input)
        let out = folder.appendingPathComponent("out")
        let result = try TriageTests.run(["scan", input.path, "--out", out.path, "--lexicons", TriageTests.lexicons])
        #expect(result.status == 1)
        TriageTests.expectNoCrashReport(result.stderr)
        let records = try ScanTests.records(in: out)
        #expect(ScanTests.outputs.reduce(0) { $0 + (records[$1]?.count ?? 0) } == 6)
        let errors = try #require(records["errors"]).compactMap { $0["error"] as? [String: Any] }
        let locations = errors.map { "\($0["line"] as? Int ?? 0):\($0["column"] as? Int ?? 0)" }
        #expect(locations == ["2:24", "3:22", "4:22", "5:1"])
        #expect(errors.allSatisfy { ($0["source"] as? String)?.hasSuffix("hostile.jsonl") == true })
        #expect(records["allow"]?.first?["id"] as? String == "bom")
        #expect(records["review"]?.first?["id"] as? String == "last")
    }

    // MARK: - Limits

    /// A pattern that backtracks catastrophically hits PCRE2's match limit: an `engine.limit` finding sends
    /// the post to review, and the run goes on.
    @Test func catastrophicPatternHitsTheMatchLimitAndGoesToReview() throws {
        let folder = try Self.lexicons(
            with: "redos.yml",
            "category: spam\nrules:\n  - id: spam.redos\n    pattern: '(a+)+$'\n    weight: 0.1\n"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let bait = String(repeating: "a", count: 40) + "!"
        let input = Self.line(#"{"id":"bait","body":"\#(bait)"}"#) + Self.line(#"{"id":"next","body":"aaa"}"#)
        let started = Date()
        let result = try TriageTests.run(["filter", "--lexicons", folder.path], input: input)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 2)
        let moderation = try Self.moderation(result.stdoutLines[0])
        #expect(moderation["action"] as? String == "review")
        #expect(moderation["queue"] as? String == "engine")
        let findings = try #require(moderation["findings"] as? [[String: Any]])
        let limit = try #require(findings.first { $0["rule"] as? String == "engine.limit" })
        #expect((limit["source"] as? String)?.hasSuffix("/redos.yml:4:14") == true)
        #expect(!findings.contains { $0["rule"] as? String == "spam.redos" })
        // A text the pattern can finish on is matched as usual.
        let next = try Self.moderation(result.stdoutLines[1])
        #expect((next["findings"] as? [[String: Any]])?.first?["rule"] as? String == "spam.redos")
    }

    @Test func findingsPerRecordAreCappedWithAMarker() throws {
        let body = (0..<300).map { "mail me at user\($0)@example.com" }.joined(separator: " ")
        let input = Self.line(#"{"id":"many","body":"\#(body)"}"#) + Self.line(#"{"id":"one","body":"my cashapp"}"#)
        let result = try Self.filter(input, lines: 2)
        #expect(result.status == 0)
        let moderation = try Self.moderation(result.stdoutLines[0])
        let findings = try #require(moderation["findings"] as? [[String: Any]])
        let omitted = try #require(moderation["findings_omitted"] as? Int)
        #expect(findings.count >= 100 && findings.count < 110)
        #expect(findings.count + omitted >= 300)
        #expect(try Self.moderation(result.stdoutLines[1])["findings_omitted"] == nil)

        let lowered = try Self.filter(input, lines: 2, ["--max-findings", "3"])
        let few = try Self.moderation(lowered.stdoutLines[0])
        // At most 3, plus the first finding of any rule not among them: every rule behind the action shows.
        let rules = Set(try #require(few["findings"] as? [[String: Any]]).compactMap { $0["rule"] as? String })
        let allRules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules == allRules)
        #expect(few["action"] as? String == moderation["action"] as? String)
        #expect(few["score"] as? Double == moderation["score"] as? Double)
    }

    /// A gzip bomb (zeros expand about a thousand times) is an error record, not a kill for running out of
    /// memory; the other files of the scan are read.
    @Test func gzipBombIsAnErrorRecord() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let bomb = input.appendingPathComponent("bomb.jsonl.gz")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 100 MiB of zeros compress to 100 kB (deflate's ceiling, about 1,030 times); 1 GiB would take the
        // test longer to make than triage takes to refuse it, which it does after the first 16 MiB either way.
        shell.arguments = ["-c", "head -c 104857600 /dev/zero | gzip -9 > '\(bomb.path)'"]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        try ScanTests.jsonLines(10, prefix: "ok").write(
            to: input.appendingPathComponent("fine.jsonl"),
            atomically: true,
            encoding: .utf8
        )
        let out = folder.appendingPathComponent("out")
        let started = Date()
        let result = try TriageTests.run(["scan", input.path, "--out", out.path, "--lexicons", TriageTests.lexicons])
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.status == 1)
        TriageTests.expectNoCrashReport(result.stderr)
        let records = try ScanTests.records(in: out)
        #expect(ScanTests.outputs.reduce(0) { $0 + (records[$1]?.count ?? 0) } == 11)
        let errors = try #require(records["errors"])
        #expect(errors.count == 1)
        let error = try #require(errors.first?["error"] as? [String: Any])
        #expect((error["source"] as? String)?.hasSuffix("bomb.jsonl.gz") == true)
        #expect(error["line"] as? Int == 1)
        #expect((error["reason"] as? String)?.contains("likely decompression bomb (--max-gzip-ratio)") == true)

        // A lower ratio refuses an ordinary file too, once it is past the allowance; a higher one lets it be.
        let lenient = try TriageTests.run([
            "scan", bomb.path, "--out", folder.appendingPathComponent("lenient").path,
            "--lexicons", TriageTests.lexicons, "--max-gzip-ratio", "2000", "--max-record-bytes", "1024",
        ])
        #expect(lenient.status == 1)
        let lenientErrors = try #require(try ScanTests.records(in: folder.appendingPathComponent("lenient"))["errors"])
        #expect(lenientErrors.count == 1)
        let reason = (lenientErrors.first?["error"] as? [String: Any])?["reason"] as? String
        #expect(reason?.contains("over the limit of 1024") == true)
    }
}
