internal import Foundation

/// How a file in a scan is read.
enum ScanFormat: String, Codable, CaseIterable {
    /// JSON Lines, one record per line (`.jsonl`, `.ndjson`).
    case jsonl
    /// Gzip-compressed JSON Lines (`.jsonl.gz`, `.ndjson.gz`), streamed.
    case jsonlGzip = "jsonl.gz"
    /// Comma-separated values with a header row (`.csv`).
    case csv
    /// One HTML document, one post (`.html`, `.htm`).
    case html
    /// One post body per line (`.txt`).
    case text = "txt"

    /// The format a file's name says, or `nil` for a file a scan skips.
    init?(path: String) {
        let name = path.lowercased()
        let suffixes: [(String, ScanFormat)] = [
            (".jsonl.gz", .jsonlGzip), (".ndjson.gz", .jsonlGzip), (".jsonl", .jsonl), (".ndjson", .jsonl),
            (".csv", .csv), (".html", .html), (".htm", .html), (".txt", .text),
        ]
        guard let (_, format) = suffixes.first(where: { name.hasSuffix($0.0) }) else { return nil }
        self = format
    }
}

/// One file to scan.
struct ScanFile: Codable, Equatable {
    /// The path as found (relative paths stay relative, so outputs name files the way the user did).
    var path: String
    var format: ScanFormat
    /// Size in bytes when the scan started; a resumed scan refuses to continue if it changed.
    var size: Int64
    /// Modification time (seconds since 1970) when the scan started.
    var modified: Double
}

/// A file a scan did not read, and why.
struct SkippedInput: Codable, Equatable {
    var path: String
    var reason: String
}

/// The files a scan reads, in a fixed order: each argument in turn, directories walked recursively with
/// their entries sorted by name, so that the same arguments always give the same order (resume relies on it).
struct ScanPlan: Codable, Equatable {
    var files: [ScanFile] = []
    var skipped: [SkippedInput] = []

    /// The total size of the files, for progress.
    var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Plans a scan of `paths`. `format`, when given, overrides every file's extension (directories still
    /// only yield files whose extension is known, unless forced).
    init(paths: [String], format: ScanFormat?, excluding excluded: String?) throws {
        let manager = FileManager.default
        let excludedPath = excluded.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandError.io("\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                try walk(directory: path, format: format, excluding: excludedPath)
            } else {
                add(path, format: format ?? ScanFormat(path: path))
            }
        }
    }

    private mutating func walk(directory: String, format: ScanFormat?, excluding excluded: String?) throws {
        let manager = FileManager.default
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            skipped.append(SkippedInput(path: directory, reason: "cannot list: \(error.localizedDescription)"))
            return
        }
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            // The scan's own output folder may sit inside what it scans: never read it back.
            if let excluded, URL(fileURLWithPath: path).standardizedFileURL.path == excluded { continue }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                // A link to a folder may lead back up the tree: like ripgrep, a walk does not follow them.
                let type = (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
                if type == .typeSymbolicLink {
                    skipped.append(SkippedInput(path: path, reason: "a symbolic link to a folder (not followed)"))
                    continue
                }
                try walk(directory: path, format: format, excluding: excluded)
            } else if let known = ScanFormat(path: path) {
                add(path, format: format ?? known)
            } else {
                skipped.append(
                    SkippedInput(path: path, reason: "not a known format (jsonl, ndjson, jsonl.gz, csv, html, txt)")
                )
            }
        }
    }

    private mutating func add(_ path: String, format: ScanFormat?) {
        guard let format else {
            skipped.append(SkippedInput(path: path, reason: "not a known format (use --format to read it anyway)"))
            return
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        files.append(ScanFile(path: path, format: format, size: size, modified: modified))
    }
}
