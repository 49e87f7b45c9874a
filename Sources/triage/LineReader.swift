internal import Engine
internal import Foundation
internal import Ingestion

/// Reads lines from a file descriptor in batches: large when input is fast, as soon as possible when it is
/// slow, so `triage filter` both streams (type a line, see its verdict) and keeps its workers busy.
final class LineReader {
    private let descriptor: Int32
    private var lines: LineSplitter<FileSource>
    /// Added to every line number: the number of lines before this input in its file.
    private let lineNumberOffset: Int

    /// Most lines in one batch.
    var maxBatchLines = 4_096
    /// Most bytes in one batch.
    var maxBatchBytes = 4 << 20

    /// Reads `descriptor`, called `name` in messages, and leaves it open; its first line is numbered
    /// `firstLineNumber`.
    init(
        descriptor: Int32,
        name: String = "stdin",
        maxRecordBytes: Int,
        firstLineNumber: Int = 1,
        chunkBytes: Int = 1 << 20
    ) {
        self.descriptor = descriptor
        self.lineNumberOffset = firstLineNumber - 1
        let source = FileSource(descriptor: descriptor, name: name)
        self.lines = LineSplitter(source: source, maxLineBytes: maxRecordBytes, chunkBytes: chunkBytes)
    }

    /// Returns the next batch of complete lines, or `nil` at the end of input.
    ///
    /// A final line without a newline still counts. A line over `maxRecordBytes` is not kept: it is passed
    /// on as an oversized line with only its length, so memory stays bounded whatever the input.
    func nextBatch() throws -> LineBatch? {
        var batch = LineBatch()
        while batch.lines.count < maxBatchLines, batch.storage.count < maxBatchBytes {
            if var line = lines.bufferedLine() {
                line.number += lineNumberOffset
                batch.append(line)
                continue
            }
            if lines.isSourceAtEnd { break }
            // Hand on what is here rather than wait for a slow writer to finish the next line.
            if !batch.lines.isEmpty, !isInputReady() { break }
            do {
                try lines.fillBuffer()
            } catch {
                throw CommandError.io("\(error)")
            }
        }
        return batch.lines.isEmpty ? nil : batch
    }

    /// Whether a read would return at once; a regular file always would.
    private func isInputReady() -> Bool {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
