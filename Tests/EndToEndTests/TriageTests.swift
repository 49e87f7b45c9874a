import Foundation
import Testing

/// Runs the built `triage` as a real process and checks stdout, stderr and the exit status.
struct TriageTests {
    /// The package root: this file is `<root>/Tests/EndToEndTests/TriageTests.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let lexicons = packageRoot.appendingPathComponent("lexicons").path

    /// The `triage` executable `swift test` built beside this test bundle (EndToEndTests depends on it).
    static let executable: URL? = {
        var candidates: [URL] = []
        for path in ["/proc/self/exe", CommandLine.arguments[0]] {
            let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            var folder = url.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("triage"))
                candidates.append(folder.appendingPathComponent("debug/triage"))
                folder = folder.deletingLastPathComponent()
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: Data
        var stderr: String

        var stdoutLines: [Data] {
            stdout.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Data($0) }
        }
    }

    /// A fresh scratch folder, removed by the caller.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("triage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `triage arguments` with `input` on stdin. Input and output go through files, so no pipe can fill up.
    static func run(
        _ arguments: [String],
        input: Data = Data(),
        directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> Run {
        let executable = try #require(Self.executable, "triage was not built beside the test bundle")
        let scratch = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputURL = scratch.appendingPathComponent("stdin")
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorURL = scratch.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let stdin = try FileHandle(forReadingFrom: inputURL)
        let stdout = try FileHandle(forWritingTo: outputURL)
        let stderr = try FileHandle(forWritingTo: errorURL)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        try stdin.close()
        try stdout.close()
        try stderr.close()
        return Run(
            status: process.terminationStatus,
            reason: process.terminationReason,
            stdout: try Data(contentsOf: outputURL),
            stderr: try String(contentsOf: errorURL, encoding: .utf8)
        )
    }

    static func filter(_ input: Data, _ extra: [String] = []) throws -> Run {
        try run(["filter", "--lexicons", lexicons] + extra, input: input)
    }

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: packageRoot.appendingPathComponent("samples/\(name)"))
    }

    static func lines(_ data: Data) -> [Data] {
        data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }.filter { !$0.isEmpty }
    }

    static func json(_ line: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
    }

    static func action(_ line: Data) throws -> String? {
        (try json(line)["moderation"] as? [String: Any])?["action"] as? String
    }

    static func expectNoCrashReport(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for marker in ["Fatal error", "Stack dump", "backtrace", "Crash", "SIGPIPE", "Illegal instruction"] {
            #expect(!stderr.contains(marker), "stderr: \(stderr)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - filter

    @Test func filterKeepsEveryRecordInOrder() throws {
        let input = try Self.sample("posts.jsonl")
        let result = try Self.filter(input)
        #expect(result.status == 0)
        #expect(result.reason == .exit)
        #expect(result.stderr.isEmpty)
        let inputLines = Self.lines(input)
        let outputLines = result.stdoutLines
        #expect(outputLines.count == inputLines.count)
        let inputIDs = try inputLines.map { try Self.json($0)["id"] as? String }
        let outputIDs = try outputLines.map { try Self.json($0)["id"] as? String }
        #expect(outputIDs == inputIDs)
        let actions = Set(try outputLines.map { try Self.action($0) ?? "?" })
        #expect(actions == ["allow", "review", "block"])
    }

    @Test func outputIsTheSameWithOneOrFourJobs() throws {
        var input = Data()
        let samples = try Self.sample("posts.jsonl") + Self.sample("html.jsonl")
        for _ in 0..<25 { input.append(samples) }
        let one = try Self.filter(input, ["--jobs", "1"])
        let four = try Self.filter(input, ["--jobs", "4"])
        #expect(one.status == 0 && four.status == 0)
        #expect(one.stdout == four.stdout)
        #expect(one.stdoutLines.count == Self.lines(input).count)
    }

    @Test func badLinesBecomeErrorRecordsAndExitOne() throws {
        var input = Data(#"{"id":"a","body":"hi"}"#.utf8 + [0x0A])
        input.append(Data("not json at all\n".utf8))
        input.append(Data(#"{"body":"caf"#.utf8 + [0xFF] + #""}"#.utf8 + [0x0A]))
        input.append(Data((#"{"body":""# + String(repeating: "x", count: 100) + #""}"# + "\n").utf8))
        input.append(Data(#"{"id":"e","body":"bye"}"#.utf8 + [0x0A]))
        let result = try Self.filter(input, ["--max-record-bytes", "64"])
        #expect(result.status == 1)
        #expect(result.reason == .exit)
        let lines = result.stdoutLines
        try #require(lines.count == 5)
        let records = try lines.map { try Self.json($0) }
        #expect(records.map { $0["error"] != nil } == [false, true, true, true, false])
        #expect(records.map { $0["id"] as? String } == ["a", nil, nil, nil, "e"])
        let errors = records.compactMap { $0["error"] as? [String: Any] }
        #expect(errors.map { $0["line"] as? Int } == [2, 3, 4])
        #expect(
            errors.map { $0["reason"] as? String } == [
                "not JSON: expected a JSON object", "invalid UTF-8 at byte 13",
                "record is 111 bytes, over the limit of 64 (--max-record-bytes)",
            ]
        )
        let stderr = result.stderr.split(separator: "\n").map(String.init)
        #expect(
            stderr == [
                "triage: stdin:2:1: not JSON: expected a JSON object",
                "triage: stdin:3:13: invalid UTF-8 at byte 13",
                "triage: stdin:4:1: record is 111 bytes, over the limit of 64 (--max-record-bytes)",
                "triage: 3 of 5 input lines could not be read; they are error records, sent to review.",
            ]
        )
    }

    /// A Spark partition is part of a file: messages, error records and default ids name that file and its
    /// line numbers, not `stdin` and the line within the partition.
    @Test func issue10SourceAndFirstLineNameThePartOfAFile() throws {
        let input = Data((#"{"body":"hi"}"# + "\nnot json\n" + #"{"id":"c","body":"bye"}"# + "\n").utf8)
        let result = try Self.filter(input, ["--source", "dumps/day1.jsonl", "--first-line", "1001"])
        #expect(result.status == 1)
        let records = try result.stdoutLines.map { try Self.json($0) }
        try #require(records.count == 3)
        #expect(records.map { $0["id"] as? String } == ["dumps/day1.jsonl:1001", nil, "c"])
        let error = try #require(records[1]["error"] as? [String: Any])
        #expect(error["source"] as? String == "dumps/day1.jsonl")
        #expect(error["line"] as? Int == 1002)
        #expect(result.stderr.hasPrefix("triage: dumps/day1.jsonl:1002:1: not JSON: expected a JSON object\n"))
        let usage = try Self.filter(input, ["--first-line", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--first-line must be at least 1"))
    }

    /// The same input and rules give the same bytes, run after run, from any working directory.
    @Test func issue10OutputIsDeterministicAndIndependentOfTheWorkingDirectory() throws {
        var input = Data()
        let samples = try Self.sample("posts.jsonl") + Self.sample("html.jsonl")
        for _ in 0..<10 { input.append(samples) }
        let scratch = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let arguments = ["filter", "--lexicons", Self.lexicons, "--no-campaigns"]
        let first = try Self.run(arguments, input: input)
        let second = try Self.run(arguments, input: input, directory: scratch)
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdoutLines.count == Self.lines(input).count)
    }

    @Test func emitBlockWritesOnlyBlockedRecords() throws {
        let input = try Self.sample("posts.jsonl")
        let all = try Self.filter(input)
        let blocked = try Self.filter(input, ["--emit", "block"])
        #expect(blocked.status == 0)
        let expected = try all.stdoutLines.filter { try Self.action($0) == "block" }
        #expect(!expected.isEmpty)
        #expect(blocked.stdoutLines == expected)
    }

    @Test func queuesFolderGetsFourFilesThatAddUp() throws {
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let queues = folder.appendingPathComponent("queues")
        var input = try Self.sample("posts.jsonl")
        input.append(Data("not json\n".utf8))
        input.append(try Self.sample("html.jsonl"))
        let result = try Self.filter(input, ["--queues", queues.path])
        #expect(result.status == 1)
        #expect(result.stdoutLines.count == Self.lines(input).count)
        var total = 0
        for name in ["allow", "review", "block", "errors"] {
            let data = try Data(contentsOf: queues.appendingPathComponent("\(name).jsonl"))
            let lines = Self.lines(data)
            total += lines.count
            for line in lines {
                let record = try Self.json(line)
                if name == "errors" {
                    #expect(record["error"] != nil)
                } else {
                    #expect(record["error"] == nil)
                    #expect((record["moderation"] as? [String: Any])?["action"] as? String == name)
                }
            }
            if name == "errors" { #expect(lines.count == 1) } else { #expect(!lines.isEmpty, "\(name).jsonl") }
        }
        #expect(total == Self.lines(input).count)
    }

    @Test func textInputTakesOnePostPerLine() throws {
        let input = try Self.sample("posts.txt")
        let result = try Self.filter(input, ["--input", "text"])
        #expect(result.status == 0)
        let bodies = String(decoding: input, as: UTF8.self).split(separator: "\n").map(String.init)
        let records = try result.stdoutLines.map { try Self.json($0) }
        #expect(records.map { $0["body"] as? String } == bodies)
        #expect(records.map { $0["id"] as? String } == (1...bodies.count).map { "stdin:\($0)" })
    }

    @Test func missingLexiconsFolderExitsTwoAndSaysWhere() throws {
        let result = try Self.run(
            ["filter", "--lexicons", "/nonexistent/lexicons"],
            input: Data(#"{"body":"x"}"#.utf8)
        )
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("triage: /nonexistent/lexicons"))
        Self.expectNoCrashReport(result.stderr)
    }

    @Test func usageMistakesExitSixtyFour() throws {
        let jobs = try Self.run(["filter", "--lexicons", Self.lexicons, "--jobs", "0"])
        #expect(jobs.status == 64)
        #expect(jobs.stderr.contains("--jobs must be at least 1"))
        let bytes = try Self.run(["filter", "--max-record-bytes", "8"])
        #expect(bytes.status == 64)
        let color = try Self.run(["check", "--color", "purple", "x"])
        #expect(color.status == 64)
    }

    /// `| head -1`: the reader goes away; triage stops quietly instead of dying of SIGPIPE.
    @Test func brokenPipeEndsQuietly() throws {
        let executable = try #require(Self.executable)
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var input = Data()
        let samples = try Self.sample("posts.jsonl")
        for _ in 0..<300 { input.append(samples) }
        let inputURL = folder.appendingPathComponent("stdin")
        let errorURL = folder.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["filter", "--lexicons", Self.lexicons, "--jobs", "2"]
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        let reader = output.fileHandleForReading
        var received = Data()
        while !received.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        try reader.close()
        process.waitUntilExit()
        #expect(received.contains(0x0A))
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        Self.expectNoCrashReport(try String(contentsOf: errorURL, encoding: .utf8))
    }

    /// How long `filterStreams` waits for a verdict line.
    static let streamTimeout = Duration.seconds(120)

    /// A verdict comes back as soon as its line is written, before standard input is closed.
    ///
    /// The first verdict waits for the rules to load; a debug `triage` under ThreadSanitizer (`make tsan`) on a busy
    /// machine took over 20 seconds for that, hence the long timeouts.
    @Test func filterStreams() throws {
        let executable = try #require(Self.executable)
        let input = Pipe()
        let output = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["filter", "--lexicons", Self.lexicons]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        try input.fileHandleForWriting.write(
            contentsOf: Data(#"{"id":"s1","body":"send it to my cashapp"}"#.utf8 + [0x0A])
        )
        let line = try #require(
            try Self.readLine(from: output.fileHandleForReading.fileDescriptor, timeout: Self.streamTimeout)
        )
        #expect(try Self.json(line)["id"] as? String == "s1")
        #expect(try Self.action(line) == "review")

        try input.fileHandleForWriting.write(
            contentsOf: Data(#"{"id":"s2","body":"lovely sunset today"}"#.utf8 + [0x0A])
        )
        let second = try #require(
            try Self.readLine(from: output.fileHandleForReading.fileDescriptor, timeout: Self.streamTimeout)
        )
        #expect(try Self.json(second)["id"] as? String == "s2")

        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Reads bytes until a newline, giving up after `timeout`; `nil` when nothing complete arrived.
    static func readLine(from descriptor: Int32, timeout: Duration) throws -> Data? {
        let deadline = ContinuousClock.now + timeout
        var line = Data()
        var byte: UInt8 = 0
        while ContinuousClock.now < deadline {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(
                max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            )
            guard poll(&pollDescriptor, 1, milliseconds) > 0 else { continue }
            let count = read(descriptor, &byte, 1)
            guard count == 1 else { return nil }
            if byte == 0x0A { return line }
            line.append(byte)
        }
        return nil
    }

    // MARK: - explain, lint, overlays

    @Test func explainShowsNormalizedTextThresholdsAndOverrides() throws {
        let result = try Self.run([
            "explain", "--lexicons", Self.lexicons, "--author", "creator", "--surface", "post",
            "naked, pay me on c@shapp",
        ])
        #expect(result.status == 1)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(stdout.contains(#"normalized: "naked, pay me on c@shapp""#))
        #expect(stdout.contains(#"offplatform.cashapp → offplatform.payment weight 0.6, body 17..<24 "c@shapp""#))
        #expect(stdout.contains("  sexual: score 0.3 → allow\n"))
        #expect(stdout.contains("    override lexicons/policy.yml:"))
        #expect(stdout.contains("action: review, queue offplatform.payment"))
    }

    @Test func lintExitStatus() throws {
        #expect(try Self.run(["lint", Self.lexicons]).status == 0)
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            atPath: Self.lexicons + "/policy.yml",
            toPath: folder.appendingPathComponent("policy.yml").path
        )
        try "category: spam\nrules:\n  - id: s.one\n    pattern: 'foo('\n    weight: 0.5\n"
            .write(to: folder.appendingPathComponent("bad.yml"), atomically: true, encoding: .utf8)
        let broken = try Self.run(["lint", folder.path])
        #expect(broken.status == 1)
        let name = folder.lastPathComponent
        #expect(
            String(decoding: broken.stdout, as: UTF8.self)
                == "\(name)/bad.yml:4:14: pattern does not compile at byte 4: missing closing parenthesis\n"
        )
        let json = try Self.run(["lint", folder.path, "--format", "json"])
        let problems = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        #expect(problems.first?["line"] as? Int == 4)
        #expect(problems.first?["column"] as? Int == 14)
        #expect(try Self.run(["lint", "/nonexistent/lexicons"]).status == 2)
    }

    /// Issue 8: the rules as plain regular expressions, for benchmarks against `rg` and `pcre2grep`.
    @Test func issue8ExportPatternsWritesOneExpressionPerTermAndPattern() throws {
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            atPath: Self.lexicons + "/policy.yml",
            toPath: folder.appendingPathComponent("policy.yml").path
        )
        try """
        category: spam
        rules:
          - id: s.terms
            terms: [free money, c.a.s.h]
            weight: 0.5
          - id: s.pattern
            pattern: '\\bwin\\s+big\\b'
            weight: 0.5
          - id: s.lookahead
            pattern: 'cheap(?! talk)'
            weight: 0.5
          - id: s.both
            all_of: [s.terms, s.pattern]
            weight: 0.5

        """.write(to: folder.appendingPathComponent("spam.yml"), atomically: true, encoding: .utf8)
        let name = folder.lastPathComponent
        let pcre2 = folder.appendingPathComponent("pcre2.txt")
        let run = try Self.run(["lint", folder.path, "--export-patterns", pcre2.path])
        #expect(run.status == 0)
        #expect(
            try String(contentsOf: pcre2, encoding: .utf8)
                == "\\bfree\\s+money\\b\n\\bc\\.a\\.s\\.h\\b\n\\bwin\\s+big\\b\ncheap(?! talk)\n"
        )
        #expect(run.stderr.contains("1 pattern(s) use look-around or other PCRE2-only syntax"))
        #expect(run.stderr.contains("\(name)/spam.yml:"))

        let ascii = folder.appendingPathComponent("ascii.txt")
        let rust = try Self.run([
            "lint", folder.path, "--export-patterns", ascii.path, "--export-dialect", "rust-ascii",
        ])
        #expect(rust.status == 0)
        #expect(
            try String(contentsOf: ascii, encoding: .utf8)
                == "(?-u:\\b)free\\s+money(?-u:\\b)\n(?-u:\\b)c\\.a\\.s\\.h(?-u:\\b)\n"
                + "(?-u:\\b)win\\s+big(?-u:\\b)\n"
        )
        #expect(rust.stderr.contains("left out 1 pattern(s) rust-ascii cannot take: \(name)/spam.yml:"))
    }

    @Test func overlayLooseningAFloorStopsTheRun() throws {
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let overlay = folder.appendingPathComponent("creator.yml")
        try "categories:\n  minor_safety: {block: off}\n".write(to: overlay, atomically: true, encoding: .utf8)
        let result = try Self.run(
            ["filter", "--lexicons", Self.lexicons, "--policy-overlay", overlay.path],
            input: Data(#"{"body":"hi"}"#.utf8)
        )
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("creator.yml:2:3: 'minor_safety' is a floor: block threshold off is looser than")
        )
        try "categories:\n  profanity: {review: 0.2}\n".write(to: overlay, atomically: true, encoding: .utf8)
        let tightened = try Self.run(
            ["filter", "--lexicons", Self.lexicons, "--policy-overlay", overlay.path],
            input: Data(#"{"body":"holy shit"}"#.utf8)
        )
        #expect(tightened.status == 0)
        #expect(String(decoding: tightened.stdout, as: UTF8.self).contains(#""action":"review""#))
    }

    @Test(arguments: ["labels.tsv", "labels.csv", "labels.jsonl"])
    func evalCountsActionsPerLabelAndRules(file: String) throws {
        let folder = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows = [
            ("bad", "send it to my cashapp"), ("bad", "lovely day"), ("good", "see you at 8"), ("good", "venmo me"),
        ]
        let contents: String
        switch file {
        case "labels.tsv":
            contents = "label\ttext\n" + rows.map { "\($0.0)\t\($0.1)\n" }.joined()
        case "labels.csv":
            // A quoted field with a comma, a doubled quote and a line break.
            contents = "label,text\n" + rows.map { "\($0.0),\"\($0.1), \"\"ok\"\"\nthanks\"\n" }.joined()
        default:
            contents = rows.map { #"{"label":"\#($0.0)","body":"\#($0.1)"}"# + "\n" }.joined()
        }
        let path = folder.appendingPathComponent(file).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        let misses = folder.appendingPathComponent("misses.jsonl").path
        let result = try Self.run([
            "eval", "--lexicons", Self.lexicons, "--labels", path, "--expect", "bad=flag", "--expect", "good=allow",
            "--misses", misses,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(stdout.contains("records: 4 from"))
        #expect(stdout.contains("bad           flag             1       1       0     50.0%"))
        #expect(stdout.contains("good          allow            1       1       0     50.0%"))
        #expect(stdout.contains("flagging: precision 0.500  recall 0.500  F1 0.500  (TP 1, FP 1, FN 1, TN 1)"))
        #expect(stdout.contains("offplatform.cashapp"))
        let missed = try String(contentsOfFile: misses, encoding: .utf8).split(separator: "\n")
        #expect(missed.count == 2)

        // Against itself, a baseline moves nothing; against a rule set without cashapp, one post moves.
        let same = try Self.run([
            "eval", "--lexicons", Self.lexicons, "--labels", path, "--expect", "bad=flag", "--baseline", Self.lexicons,
        ])
        #expect(String(decoding: same.stdout, as: UTF8.self).contains("against the baseline: no post changes action"))
        let reduced = folder.appendingPathComponent("reduced")
        try FileManager.default.createDirectory(at: reduced, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.lexicons + "/policy.yml",
            toPath: reduced.appendingPathComponent("policy.yml").path
        )
        let moved = try Self.run([
            "eval", "--lexicons", Self.lexicons, "--labels", path, "--expect", "bad=flag", "--baseline", reduced.path,
        ])
        let movedOutput = String(decoding: moved.stdout, as: UTF8.self)
        #expect(movedOutput.contains("against the baseline, shipping these rules moves:"))
        #expect(movedOutput.contains("posts  bad: allow → review"))
    }

    @Test func redactReplacesPersonalDataButKeepsOffsets() throws {
        let input =
            [
                #"{"id":"a","body":"call (415) 555-2671 or mail jo@example.com","x":[1,2]}"#,
                #"{"id":"h","format":"html","body":"<p>card <b>4111 1111 1111 1111</b></p>"}"#,
                #"{"id":"c","body":"nothing here"}"#,
            ].joined(separator: "\n") + "\n"
        let result = try Self.run(["filter", "--lexicons", Self.lexicons, "--redact"], input: Data(input.utf8))
        #expect(result.status == 0)
        let records = try result.stdoutLines.map {
            try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any])
        }
        try #require(records.count == 3)
        #expect(records[0]["body"] as? String == "call [PHONE] or mail [EMAIL]")
        #expect(records[0]["x"] as? [Int] == [1, 2])
        let findings = try #require((records[0]["moderation"] as? [String: Any])?["findings"] as? [[String: Any]])
        let phone = try #require(findings.first { $0["rule"] as? String == "pii.phone" })
        #expect(phone["start"] as? Int == 5)
        #expect(phone["end"] as? Int == 19)
        #expect(phone["excerpt"] as? String == "[PHONE]")
        #expect(records[1]["body"] as? String == "card [CARD]")
        #expect((records[1]["moderation"] as? [String: Any])?["text"] as? String == "card [CARD]")
        #expect(records[2]["body"] as? String == "nothing here")
        let raw = String(decoding: result.stdout, as: UTF8.self)
        #expect(!raw.contains("555-2671") && !raw.contains("jo@example.com") && !raw.contains("4111"))
    }

    // MARK: - check

    @Test(arguments: [
        ("lovely sunset today", Int32(0), "ALLOW"),
        ("send it to my cashapp", 1, "REVIEW"),
        ("i will kill you", 2, "BLOCK"),
    ])
    func checkExitStatusFollowsTheAction(text: String, status: Int32, header: String) throws {
        let result = try Self.run(["check", "--lexicons", Self.lexicons, "--color", "never", text])
        #expect(result.status == status)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(stdout.hasPrefix(header + "  score "))
        #expect(!stdout.contains("\u{1B}["))
    }

    @Test func checkExplainsTheFindings() throws {
        let result = try Self.run(["check", "--lexicons", Self.lexicons, "--color", "never", "send it to my cashapp"])
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(stdout.contains("queue offplatform.payment"))
        #expect(
            stdout.contains(
                #"offplatform.cashapp [offplatform.payment, weight 0.60] at body 14..<21 "cashapp"  (lexicons/offplatform.yml:"#
            )
        )
        #expect(stdout.contains("  send it to my [[cashapp]]\n"))
        #expect(stdout.contains("policy sha256:"))
    }

    @Test func checkReadsStandardInputAndContext() throws {
        let result = try Self.run(
            [
                "check", "--lexicons", Self.lexicons, "--color", "never", "--author", "fan", "--to", "creator",
                "--surface", "dm",
            ],
            input: Data("send it to my cashapp\n".utf8)
        )
        #expect(result.status == 1)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(stdout.contains("priority high"))
        #expect(stdout.contains("  send it to my [[cashapp]]\n"))
    }

    @Test func checkWithoutLexiconsExitsThree() throws {
        let result = try Self.run(["check", "--lexicons", "/nonexistent/lexicons", "x"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("/nonexistent/lexicons"))
    }
}
