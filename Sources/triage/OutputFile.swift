internal import Foundation

/// Why a command failed as a whole (not one record).
enum CommandError: Error, CustomStringConvertible {
    /// Reading or writing failed.
    case io(String)

    var description: String {
        switch self {
        case .io(let message): message
        }
    }
}

/// Unbuffered writes to a file descriptor, retried on EINTR.
///
/// Swift 6 refuses the C `stdout` global, and verdicts are already batched, so `write(2)` is used directly.
struct OutputFile {
    /// Writing failed because the reader went away (`| head -1`): a normal end, not an error.
    struct BrokenPipe: Error {}

    let descriptor: Int32
    let name: String

    static let standardOutput = OutputFile(descriptor: STDOUT_FILENO, name: "standard output")
    static let standardError = OutputFile(descriptor: STDERR_FILENO, name: "standard error")

    /// Creates or truncates `path` for writing.
    static func create(_ path: String) throws -> OutputFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandError.io("\(path): cannot create: \(String(cString: strerror(errno)))")
        }
        return OutputFile(descriptor: descriptor, name: path)
    }

    /// Writes all of `bytes`.
    func write<Bytes: ContiguousBytes>(_ bytes: Bytes) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // `buffer` is not empty inside the loop, so it has a base address.
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written >= 0 {
                    offset += written
                    continue
                }
                if errno == EINTR { continue }
                if errno == EPIPE { throw BrokenPipe() }
                throw CommandError.io("\(name): cannot write: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes `text` and a newline.
    func writeLine(_ text: String) throws {
        try write(Array((text + "\n").utf8))
    }

    func close() {
        _ = Foundation.close(descriptor)
    }
}
