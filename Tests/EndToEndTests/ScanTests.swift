import Foundation
import Testing

/// `triage scan` as a user runs it: a dump of every format in, queue files, summary and report out, and
/// nothing lost when it is killed and resumed.
struct ScanTests {
    static let outputs = ["allow", "review", "block", "errors"]

    /// The records in a scan's outputs, by output name.
    static func records(in directory: URL) throws -> [String: [[String: Any]]] {
        var records: [String: [[String: Any]]] = [:]
        for name in outputs {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(name).jsonl"))
            #expect(data.isEmpty || data.last == 0x0A, "\(name).jsonl ends mid-line")
            records[name] = try data.split(separator: 0x0A).map {
                try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
            }
        }
        return records
    }

    static func gzip(_ file: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func jsonLines(_ count: Int, prefix: String) -> String {
        (0..<count).map { index in
            let body =
                index % 7 == 0
                ? "pay me on cashapp $\(prefix)\(index) for the set" : "lovely stream tonight number \(index)"
            return
                #"{"id":"\#(prefix)\#(index)","body":"\#(body)","author":{"id":"a\#(index % 50)","role":"fan"},"surface":"comment"}"#
        }.joined(separator: "\n") + "\n"
    }

    /// A folder with every format, and the damage real dumps have.
    static func makeDump() throws -> URL {
        let dump = try TriageTests.makeTemporaryDirectory().appendingPathComponent("dump")
        let html = dump.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: html, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try text.write(to: dump.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("posts.jsonl", jsonLines(5, prefix: "j") + "this line is not json\n")
        try write("more.ndjson", jsonLines(3, prefix: "n"))
        try write("archive.jsonl", jsonLines(100, prefix: "g"))
        try gzip(dump.appendingPathComponent("archive.jsonl"))
        // A gzip file damaged in the middle: what comes before the damage is still read.
        try write("corrupt.jsonl", jsonLines(3_000, prefix: "c"))
        try gzip(dump.appendingPathComponent("corrupt.jsonl"))
        let corrupt = dump.appendingPathComponent("corrupt.jsonl.gz")
        var bytes = try Data(contentsOf: corrupt)
        for offset in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[offset] ^= 0x5A }
        try bytes.write(to: corrupt)
        try write(
            "export.csv",
            """
            id,body,author
            v1,"a quoted body, with a comma",fan
            v2,"a body over
            two lines",fan
            v3,"a broken quote that never closes,fan
            v4,send it to my cashapp instead,creator
            v5,last one,fan

            """
        )
        try write("empty.jsonl", "")
        try write("notes.txt", "first note\nbuy followers now at bit.ly/x\nthird note\n")
        for index in 1...3 {
            try "<html><body><p>page \(index) <b>hello</b></p></body></html>".write(
                to: html.appendingPathComponent("page\(index).html"),
                atomically: true,
                encoding: .utf8
            )
        }
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: dump.appendingPathComponent("image.png"))
        // A link back up the tree: a walk that followed it would never end.
        try FileManager.default.createSymbolicLink(
            at: html.appendingPathComponent("loop"),
            withDestinationURL: dump
        )
        return dump
    }

    @Test func aDumpOfEveryFormatIsReadWithNothingLost() throws {
        let dump = try Self.makeDump()
        defer { try? FileManager.default.removeItem(at: dump.deletingLastPathComponent()) }
        let out = dump.deletingLastPathComponent().appendingPathComponent("out")
        let run = try TriageTests.run(["scan", dump.path, "--out", out.path, "--lexicons", TriageTests.lexicons])
        #expect(run.status == 1, "\(run.stderr)")  // some records could not be read
        let records = try Self.records(in: out)
        let all = Self.outputs.flatMap { records[$0] ?? [] }
        // Every record names its file and line.
        func location(_ record: [String: Any]) -> (file: String, line: Int)? {
            if let source = (record["moderation"] as? [String: Any])?["source"] as? [String: Any] {
                return (source["file"] as? String ?? "", source["line"] as? Int ?? -1)
            }
            if let error = record["error"] as? [String: Any] {
                return (error["source"] as? String ?? "", error["line"] as? Int ?? -1)
            }
            return nil
        }
        #expect(all.allSatisfy { location($0) != nil })
        func count(_ file: String) -> Int { all.filter { location($0)?.file.hasSuffix(file) == true }.count }
        #expect(count("posts.jsonl") == 6)
        #expect(count("more.ndjson") == 3)
        #expect(count("archive.jsonl.gz") == 100)
        #expect(count("export.csv") >= 5)  // v1, v2, the broken record, and what comes after it
        #expect(count("notes.txt") == 3)
        #expect(count("page1.html") == 1 && count("page2.html") == 1 && count("page3.html") == 1)
        #expect(count("empty.jsonl") == 0)
        #expect(count("image.png") == 0)
        // The corrupt gzip: its records before the damage, in order, then one error where it starts.
        let corrupt = all.compactMap { location($0) }.filter { $0.file.hasSuffix("corrupt.jsonl.gz") }.map(\.line)
            .sorted()
        #expect(corrupt.count > 1 && corrupt == Array(1...corrupt.count), "\(corrupt.prefix(5))")
        let errors = records["errors"] ?? []
        let reasons = errors.compactMap { ($0["error"] as? [String: Any])?["reason"] as? String }
        #expect(reasons.contains { $0.contains("corrupt gzip") || $0.contains("ends early") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("not JSON") })
        #expect(reasons.contains { $0.lowercased().contains("quote") }, "\(reasons)")
        // The CSV records after the broken quote are still read.
        let ids = Set(all.compactMap { $0["id"] as? String })
        #expect(ids.contains("v4") && ids.contains("v5"), "\(ids.sorted())")
        // HTML pages are one post each, named by their path.
        #expect(ids.contains { $0.hasSuffix("pages/page2.html") })

        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                as? [String: Any]
        )
        let actions = try #require(summary["actions"] as? [String: Int])
        let total = (actions["allow"] ?? 0) + (actions["review"] ?? 0) + (actions["block"] ?? 0)
        #expect(total + (summary["errors"] as? Int ?? -1) == all.count)
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        #expect(skipped.contains { ($0["path"] as? String)?.hasSuffix("image.png") == true })
        #expect(skipped.contains { ($0["path"] as? String)?.hasSuffix("pages/loop") == true })
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("<svg") && !report.contains("<script"))
        #expect(run.stderr.contains("records"))  // the one-line summary
    }

    @Test func aFolderThatHoldsAScanIsNotOverwritten() throws {
        let dump = try Self.makeDump()
        defer { try? FileManager.default.removeItem(at: dump.deletingLastPathComponent()) }
        let out = dump.deletingLastPathComponent().appendingPathComponent("out")
        _ = try TriageTests.run(["scan", dump.path, "--out", out.path, "--lexicons", TriageTests.lexicons])
        let again = try TriageTests.run(["scan", dump.path, "--out", out.path, "--lexicons", TriageTests.lexicons])
        #expect(again.status == 2)
        #expect(again.stderr.contains("--resume"))
    }

    /// Starts a scan, kills it with `signal` once it has written some batches, resumes it, and checks that
    /// every input record is in exactly one output line.
    func killAndResume(signal: Int32) throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("big.jsonl")
        // Enough records that the scan is still running when it is stopped right after its first checkpoint:
        // a debug build scans 40,000 of them in 0.7 s, before its second checkpoint (a second in).
        let count = 100_000
        try Self.jsonLines(count, prefix: "r").write(to: input, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let executable = try #require(TriageTests.executable)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["scan", input.path, "--out", out.path, "--lexicons", TriageTests.lexicons, "--jobs", "2"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the first batch is checkpointed, then stop it mid-run.
        let checkpoint = out.appendingPathComponent(".scan-checkpoint.json")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if let data = try? Data(contentsOf: checkpoint),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let position = object["position"] as? [String: Any], (position["records"] as? Int ?? 0) >= 4_000
            {
                break
            }
            usleep(20_000)
        }
        try #require(process.isRunning, "the scan finished before it could be stopped: too little input")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        if signal == SIGINT || signal == SIGTERM { #expect(process.terminationStatus == 130) }
        if signal == SIGKILL { #expect(process.terminationReason == .uncaughtSignal) }

        let resumed = try TriageTests.run(["scan", "--resume", out.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let records = try Self.records(in: out)
        let ids = Self.outputs.flatMap { records[$0] ?? [] }.compactMap { $0["id"] as? String }
        #expect(ids.count == count)
        #expect(Set(ids).count == count)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                as? [String: Any]
        )
        let actions = try #require(summary["actions"] as? [String: Int])
        #expect((actions["allow"] ?? 0) + (actions["review"] ?? 0) + (actions["block"] ?? 0) == count)
    }

    @Test func killedScanResumesWithEveryRecordOnce() throws {
        try killAndResume(signal: SIGKILL)
    }

    @Test func interruptedScanStopsCleanlyAndResumes() throws {
        try killAndResume(signal: SIGINT)
    }

    /// `--redact`: the emitted text has personal data replaced; findings keep their offsets.
    @Test func redactReplacesPersonalDataInTheOutputs() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("dm.jsonl")
        try #"{"id":"d1","body":"her email is jane.doe@example.com and card 4111 1111 1111 1111"}"#
            .write(to: input, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try TriageTests.run([
            "scan", input.path, "--out", out.path, "--lexicons", TriageTests.lexicons, "--redact",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try Self.records(in: out).values.flatMap { $0 }
        let record = try #require(records.first)
        let body = try #require(record["body"] as? String)
        #expect(body.contains("[EMAIL]") && body.contains("[CARD]"), "\(body)")
        #expect(!body.contains("jane.doe") && !body.contains("4111"))
        let findings = try #require((record["moderation"] as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule"] as? String == "pii.email" && $0["start"] as? Int == 13 })
    }

    @Test func progressIsDrawnWhenAsked() throws {
        let dump = try Self.makeDump()
        defer { try? FileManager.default.removeItem(at: dump.deletingLastPathComponent()) }
        let out = dump.deletingLastPathComponent().appendingPathComponent("out")
        let run = try TriageTests.run([
            "scan", dump.path, "--out", out.path, "--lexicons", TriageTests.lexicons, "--progress", "always",
        ])
        #expect(run.stderr.contains("posts/s"))
        #expect(run.stderr.contains("100%"))
    }
}
