import Foundation
import Testing

/// Faults around the real binary: signals, a full disk, an unwritable folder, a locked queue database. Each
/// gives a clear message and a non-zero exit, and nothing is lost or duplicated once the fault is gone.
struct FaultTests {
    /// Runs `triage arguments` with `stdin` and `stdout` as given (files or devices), stderr captured.
    static func run(_ arguments: [String], stdin: URL, stdout: String) throws -> (status: Int32, stderr: String) {
        let executable = try #require(TriageTests.executable)
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let errorURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        process.standardOutput = try #require(FileHandle(forWritingAtPath: stdout))
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: errorURL, encoding: .utf8))
    }

    /// The lines of the queue files in `directory`, and whether each file ends with a whole line.
    static func queueLines(in directory: URL) throws -> (count: Int, wholeLines: Bool) {
        var count = 0
        var whole = true
        for name in ScanTests.outputs {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(name).jsonl"))
            if !data.isEmpty, data.last != 0x0A { whole = false }
            count += data.split(separator: 0x0A).count
        }
        return (count, whole)
    }

    // MARK: - Signals

    @Test func terminatedScanStopsCleanlyAndResumes() throws {
        try ScanTests().killAndResume(signal: SIGTERM)
    }

    /// SIGTERM and SIGINT stop `filter --queues` cleanly: exit 130, whole lines in every file, and stderr says
    /// where the rest of the input starts; SIGKILL cannot be caught, and a run again from the start (the
    /// queue files are rewritten) recovers.
    @Test(arguments: [SIGTERM, SIGINT, SIGKILL])
    func killedFilterLeavesWholeLinesAndARerunRecovers(signal sent: Int32) throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 60_000
        let input = folder.appendingPathComponent("input.jsonl")
        try ScanTests.jsonLines(count, prefix: "f").write(to: input, atomically: true, encoding: .utf8)
        let queues = folder.appendingPathComponent("queues")
        let executable = try #require(TriageTests.executable)
        let errorURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        let arguments = ["filter", "--lexicons", TriageTests.lexicons, "--queues", queues.path, "--jobs", "2"]
        process.arguments = arguments
        // Input comes through a pipe that stays open until the kill, so triage is still running when the
        // signal arrives, mid-stream, as a producer upstream would keep it.
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        try pipe.fileHandleForReading.close()  // only triage reads it, so its death ends the feeder's writes
        signal(SIGPIPE, SIG_IGN)  // the feeder's writes after the kill fail with EPIPE instead
        let feed = try Data(contentsOf: input)
        let feeder = pipe.fileHandleForWriting.fileDescriptor
        let fed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            feed.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    // Not empty inside the loop, so it has a base address.
                    let written = write(feeder, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            fed.signal()
        }
        let allow = queues.appendingPathComponent("allow.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning,
            ((try? FileManager.default.attributesOfItem(atPath: allow.path)[.size] as? Int) ?? 0) < 256 << 10
        {
            usleep(10_000)
        }
        #expect(process.isRunning)
        kill(process.processIdentifier, sent)
        process.waitUntilExit()
        fed.wait()
        try pipe.fileHandleForWriting.close()
        let stderr = try String(contentsOf: errorURL, encoding: .utf8)
        TriageTests.expectNoCrashReport(stderr)
        let written = try Self.queueLines(in: queues)
        #expect(written.count <= count)
        if sent != SIGKILL {
            #expect(process.terminationStatus == 130)
            #expect(written.wholeLines)
            let name = sent == SIGTERM ? "SIGTERM" : "SIGINT"
            let said = try #require(
                try Regex(#"stopped by (\w+) after (\d+) records"#).firstMatch(in: stderr),
                "stderr: \(stderr)"
            )
            #expect(said.output[1].substring.map(String.init) == name)
            // The count is exactly what the files hold: the rest of the input starts right after it.
            #expect(said.output[2].substring.flatMap { Int($0) } == written.count)
        }
        if sent == SIGKILL { #expect(process.terminationReason == .uncaughtSignal) }

        // Recovery: run again from the start; the queue files are rewritten, not appended to.
        let again = try Self.run(arguments, stdin: input, stdout: "/dev/null")
        #expect(again.status == 0, "\(again.stderr)")
        let recovered = try Self.queueLines(in: queues)
        #expect(recovered.count == count)
        #expect(recovered.wholeLines)
    }

    /// A stop must not hang on a reader that stopped reading: SIGTERM while standard output is a full pipe
    /// still ends the run, with exit 130 and a message that says the last line may be cut.
    @Test func terminatedFilterDoesNotHangOnAStalledReader() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.jsonl")
        try ScanTests.jsonLines(20_000, prefix: "s").write(to: input, atomically: true, encoding: .utf8)
        let errorURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = try #require(TriageTests.executable)
        process.arguments = ["filter", "--lexicons", TriageTests.lexicons]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let stalled = Pipe()  // never read: triage's first large write blocks
        process.standardOutput = stalled
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        // Wait until the pipe is full (64 KiB on Linux), so the writer is blocked when the signal comes.
        let reader = stalled.fileHandleForReading.fileDescriptor
        var waiting: Int32 = 0
        let filled = Date().addingTimeInterval(60)
        while process.isRunning, Date() < filled, waiting < 60_000 {
            usleep(20_000)
            _ = withUnsafeMutablePointer(to: &waiting) { ioctl(reader, UInt(FIONREAD), $0) }
        }
        #expect(process.isRunning)
        usleep(200_000)
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(!hung, "triage did not stop within 20 s of SIGTERM")
        #expect(process.terminationStatus == 130)
        let stderr = try String(contentsOf: errorURL, encoding: .utf8)
        #expect(stderr.contains("stopped by SIGTERM during a write that did not finish"), "\(stderr)")
    }

    // MARK: - Disk and folders

    /// Standard output on a full disk (/dev/full): a clear message and exit 2, not a silent truncation.
    @Test func fullStandardOutputSaysSoAndExitsTwo() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.jsonl")
        try ScanTests.jsonLines(100, prefix: "d").write(to: input, atomically: true, encoding: .utf8)
        let result = try Self.run(["filter", "--lexicons", TriageTests.lexicons], stdin: input, stdout: "/dev/full")
        #expect(result.status == 2)
        #expect(result.stderr.contains("triage: standard output: cannot write: No space left on device"))
        TriageTests.expectNoCrashReport(result.stderr)
    }

    /// Queue files and a scan's outputs on a 1 MiB tmpfs that fills up. Needs `mount` (root, and a container
    /// that allows it); skipped otherwise.
    @Test(.enabled(if: getuid() == 0)) func fullDiskForQueueFilesAndScansSaysSo() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.path]
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { return }  // this container forbids mounts: /dev/full above
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [disk.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let input = folder.appendingPathComponent("input.jsonl")
        try ScanTests.jsonLines(20_000, prefix: "t").write(to: input, atomically: true, encoding: .utf8)
        let filter = try Self.run(
            ["filter", "--lexicons", TriageTests.lexicons, "--queues", disk.appendingPathComponent("q").path],
            stdin: input,
            stdout: "/dev/null"
        )
        #expect(filter.status == 2)
        #expect(filter.stderr.contains("cannot write: No space left on device"), "\(filter.stderr)")
        TriageTests.expectNoCrashReport(filter.stderr)

        let scan = try TriageTests.run([
            "scan", input.path, "--out", disk.appendingPathComponent("scan").path, "--lexicons", TriageTests.lexicons,
        ])
        #expect(scan.status == 2)
        #expect(scan.stderr.contains("No space left on device"), "\(scan.stderr)")
        TriageTests.expectNoCrashReport(scan.stderr)
    }

    /// We run as root, so permissions stop nothing: a folder under a regular file cannot be made by anyone.
    @Test func unwritableOutputFolderSaysWhereAndExitsTwo() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let target = file.appendingPathComponent("out").path
        let filter = try TriageTests.run(
            ["filter", "--lexicons", TriageTests.lexicons, "--queues", target],
            input: Data(#"{"body":"hi"}"#.utf8)
        )
        #expect(filter.status == 2)
        #expect(filter.stderr.contains("\(target): cannot create the queues folder"), "\(filter.stderr)")
        #expect(filter.stdout.isEmpty)

        let input = folder.appendingPathComponent("in.jsonl")
        try ScanTests.jsonLines(3, prefix: "u").write(to: input, atomically: true, encoding: .utf8)
        let scan = try TriageTests.run(["scan", input.path, "--out", target, "--lexicons", TriageTests.lexicons])
        #expect(scan.status == 2)
        #expect(scan.stderr.contains(target), "\(scan.stderr)")
        TriageTests.expectNoCrashReport(scan.stderr)

        let proc = try TriageTests.run(
            ["filter", "--lexicons", TriageTests.lexicons, "--queues", "/proc/triage-cannot-write-here"],
            input: Data(#"{"body":"hi"}"#.utf8)
        )
        #expect(proc.status == 2)
        #expect(proc.stderr.contains("/proc/triage-cannot-write-here: cannot create the queues folder"))
    }

    // MARK: - A locked queue database

    /// Holds `database` with `BEGIN EXCLUSIVE` from another process (python3's sqlite3) until `release` is
    /// written to its standard input; returns once the lock is taken.
    static func lock(_ database: URL) throws -> (process: Process, release: FileHandle) {
        let script = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            sys.stdin.readline()
            c.execute('COMMIT')
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, database.path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("locked"))
        return (process, input.fileHandleForWriting)
    }

    @Test func lockedQueueDatabaseFailsClearlyAndARerunAddsEachItemOnce() throws {
        let folder = try TriageTests.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("queue.db")
        let input = Data(ScanTests.jsonLines(70, prefix: "q").utf8)
        let verdicts = try TriageTests.filter(input)
        let flagged = try verdicts.stdoutLines.filter { try TriageTests.action($0) != "allow" }.count
        #expect(flagged == 10)
        let review = folder.appendingPathComponent("review.jsonl")
        try verdicts.stdout.write(to: review)
        // Create the database, then lock it past a short busy timeout.
        let environment = ProcessInfo.processInfo.environment.merging(["TRIAGE_BUSY_TIMEOUT": "0.5"]) { $1 }
        #expect(try TriageTests.run(["queue", "stats", "--db", database.path]).status == 0)
        let (holder, release) = try Self.lock(database)

        let started = Date()
        let blocked = try TriageTests.run(
            ["queue", "import", review.path, "--db", database.path],
            environment: environment
        )
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("another process holds the database locked"), "\(blocked.stderr)")
        let filtered = try TriageTests.run(
            ["filter", "--lexicons", TriageTests.lexicons, "--queue-db", database.path],
            input: input,
            environment: environment
        )
        #expect(filtered.status == 2)
        #expect(filtered.stderr.contains("another process holds the database locked"), "\(filtered.stderr)")
        TriageTests.expectNoCrashReport(filtered.stderr)

        try release.write(contentsOf: Data("\n".utf8))
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)

        // Once released: both runs again, and each flagged record is in the queue once.
        let imported = try TriageTests.run(["queue", "import", review.path, "--db", database.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(String(decoding: imported.stdout, as: UTF8.self).hasPrefix("\(flagged) added, 0 already"))
        let refiltered = try TriageTests.run(
            ["filter", "--lexicons", TriageTests.lexicons, "--queue-db", database.path],
            input: input
        )
        #expect(refiltered.status == 0, "\(refiltered.stderr)")
        #expect(refiltered.stdoutLines.count == 70)
        let stats = try TriageTests.run(["queue", "stats", "--db", database.path, "--format", "json"])
        let numbers = try #require(try JSONSerialization.jsonObject(with: stats.stdout) as? [String: Any])
        #expect(Self.openItems(numbers) == flagged, "\(String(decoding: stats.stdout, as: UTF8.self))")
    }

    /// The number of open items in `triage queue stats --format json`.
    static func openItems(_ stats: [String: Any]) -> Int? {
        if let open = stats["open"] as? Int { return open }
        if let open = stats["open"] as? [String: Any] { return open["total"] as? Int }
        return nil
    }
}
