import Foundation
import Ingestion
import Testing

struct FileSourceTests {
    static let gzipPath = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A fresh folder for one test's files.
    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs the system `gzip -c` on `input` and writes its output to `output`.
    static func gzip(_ input: URL, to output: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(gzipPath))
        process.arguments = ["-c", input.path]
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func readsAFileWhole() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Drain.numberedLines(1...50_000)
        let path = folder.appendingPathComponent("posts.txt")
        try Data(text.utf8).write(to: path)
        var source = try FileSource(path: path.path)
        #expect(source.byteCount == text.utf8.count)
        let read = Drain.bytes(of: &source, chunk: 1 << 20)
        #expect(read.error == nil)
        #expect(read.bytes == Array(text.utf8))
        #expect(source.bytesConsumed == text.utf8.count)
    }

    @Test(.enabled(if: gzipPath != nil, "needs the gzip command"))
    func readsWhatTheGzipCommandWritesAndFilesCatTogether() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = Drain.numberedLines(1...30_000)
        let second = "one more\nand the last without a newline"
        for (name, text) in [("a", first), ("b", second)] {
            try Data(text.utf8).write(to: folder.appendingPathComponent("\(name).txt"))
            try Self.gzip(folder.appendingPathComponent("\(name).txt"), to: folder.appendingPathComponent("\(name).gz"))
        }
        // `cat a.gz b.gz > both.gz`: two members in one file.
        let both = folder.appendingPathComponent("both.gz")
        let members =
            try Data(contentsOf: folder.appendingPathComponent("a.gz"))
            + Data(contentsOf: folder.appendingPathComponent("b.gz"))
        try members.write(to: both)

        var lines = LineSplitter(source: try GzipSource(try FileSource(path: both.path)), maxLineBytes: 1_000)
        var count = 0
        var last = ""
        while let line = try lines.nextLine() {
            count += 1
            last = String(decoding: line.bytes, as: UTF8.self)
        }
        #expect(count == 30_002)
        #expect(last == "and the last without a newline")
        #expect(lines.bytesConsumed == members.count)
        let total = lines.source.byteCount
        #expect(total == members.count)
    }

    @Test func missingFileSaysSo() {
        #expect(throws: SourceError.cannotOpen(path: "/nonexistent/x.csv", reason: "No such file or directory")) {
            _ = try FileSource(path: "/nonexistent/x.csv")
        }
    }

    @Test func directoryCannotBeRead() throws {
        var source = try FileSource(path: "/")
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: SourceError.readFailed(source: "/", offset: 0, reason: "Is a directory")) {
            try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        }
    }
}
