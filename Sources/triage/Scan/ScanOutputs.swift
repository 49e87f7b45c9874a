internal import Engine
internal import Foundation
internal import Moderation
internal import Reporting

/// The four verdict files of a scan, appended batch by batch.
///
/// Each batch is appended with one write per file, then the checkpoint records every file's length. A
/// crash or `kill -9` can leave a file longer than its checkpoint (a batch written but not recorded, or cut
/// short mid-line); `--resume` truncates each file back to its recorded length before going on, so every
/// line in the outputs is whole and every record is in them exactly once.
/// Used from one queue at a time (the writer's), hence `@unchecked Sendable`.
final class ScanOutputs: @unchecked Sendable {
    static let names = RecordQueue.allCases.map(\.name)

    private var files: [String: OutputFile] = [:]
    /// Each file's length in bytes.
    private(set) var lengths: [String: Int64]

    /// Opens the files in `directory`: empty for a new scan, cut back to `lengths` for a resumed one.
    init(directory: String, resumingAt lengths: [String: Int64]?) throws {
        self.lengths = lengths ?? Dictionary(uniqueKeysWithValues: Self.names.map { ($0, 0) })
        for name in Self.names {
            let path = Self.path(name, in: directory)
            let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (lengths == nil ? O_TRUNC : 0)
            let descriptor = open(path, flags, 0o644)
            guard descriptor >= 0 else {
                throw CommandError.io("\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            let length = self.lengths[name] ?? 0
            guard ftruncate(descriptor, off_t(length)) == 0 else {
                throw CommandError.io(
                    "\(path): cannot cut back to \(length) bytes: \(String(cString: strerror(errno)))"
                )
            }
            files[name] = OutputFile(descriptor: descriptor, name: path)
        }
    }

    static func path(_ name: String, in directory: String) -> String {
        directory + "/" + name + ".jsonl"
    }

    /// Appends one batch's lines, each to the file of its queue (error records to `errors`).
    func append(_ output: BatchOutput) throws {
        for (queue, bytes) in zip(RecordQueue.allCases, output.linesByQueue()) where !bytes.isEmpty {
            try files[queue.name]?.write(bytes)
            lengths[queue.name, default: 0] += Int64(bytes.count)
        }
    }

    func close() {
        for file in files.values { file.close() }
    }
}

/// Where a scan is in its input: the file it reads and how many of that file's records are done.
struct ScanPosition: Codable, Equatable {
    /// Index of the file in the plan; `files.count` once every file is read.
    var file = 0
    /// Records of that file already read.
    var records = 0
    /// Input bytes of the files before it, and of this one so far (compressed bytes for gzip): progress.
    var bytes: Int64 = 0
}

/// Everything `--resume` needs, written after every batch: the options, the plan, the position reached,
/// the outputs' lengths at that point and the summary so far.
struct ScanCheckpoint: Codable {
    static let version = 1

    var version = Self.version
    var options: ScanOptions
    var plan: ScanPlan
    var position = ScanPosition()
    var outputLengths: [String: Int64] = [:]
    /// The summary so far: a resumed scan goes on counting from it.
    var summary = ScanSummary()
    var finished = false

    static func path(in directory: String) -> String { directory + "/.scan-checkpoint.json" }

    /// Writes the checkpoint atomically: a new file renamed over the old, so a crash leaves one or the other.
    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let path = Self.path(in: directory)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CommandError.io("\(temporary): cannot write the checkpoint")
        }
        guard rename(temporary, path) == 0 else {
            throw CommandError.io("\(path): cannot replace the checkpoint: \(String(cString: strerror(errno)))")
        }
    }

    static func read(from directory: String) throws -> ScanCheckpoint {
        let path = Self.path(in: directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError.io("\(directory): no scan to resume here (\(path) is missing)")
        }
        do {
            let checkpoint = try JSONDecoder().decode(ScanCheckpoint.self, from: data)
            guard checkpoint.version == version else {
                throw CommandError.io("\(path): written by another version of triage (format \(checkpoint.version))")
            }
            return checkpoint
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError.io("\(path): unreadable checkpoint: \(error)")
        }
    }
}

/// The options a scan was started with; a resumed scan reuses them.
struct ScanOptions: Codable, Equatable {
    var paths: [String]
    var format: ScanFormat?
    var bodyColumn: String
    /// The id column, when one was named; else `id` is used if the header has it.
    var idColumn: String?
    var lexicons: String?
    var policyOverlay: String?
    var maxRecordBytes: Int
    /// `--max-findings`; `nil` (and in checkpoints written before it existed) the default.
    var maxFindings: Int?
    /// `--max-gzip-ratio`; `nil` (and in checkpoints written before it existed) the default.
    var maxGzipRatio: Int?
    var redact: Bool
    var campaigns: Bool
    /// The review queue that review and block verdicts also go into, if any.
    var queueDatabase: String?
}
