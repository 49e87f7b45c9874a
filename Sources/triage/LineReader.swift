internal import Engine
internal import Foundation

/// Reads lines from a file descriptor in batches: large when input is fast, as soon as possible when it is
/// slow, so `triage filter` both streams (type a line, see its verdict) and keeps its workers busy.
final class LineReader {
    private let descriptor: Int32
    private let maxRecordBytes: Int
    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkEnd = 0
    private var isAtEnd = false
    private var pending: [UInt8] = []
    private var pendingOversized: Int?
    private var lineNumber = 0

    /// Most lines in one batch.
    var maxBatchLines = 4_096
    /// Most bytes in one batch.
    var maxBatchBytes = 4 << 20

    init(descriptor: Int32, maxRecordBytes: Int, chunkBytes: Int = 1 << 20) {
        self.descriptor = descriptor
        self.maxRecordBytes = maxRecordBytes
        self.chunk = [UInt8](repeating: 0, count: chunkBytes)
    }

    /// Returns the next batch of complete lines, or `nil` at the end of input.
    ///
    /// A final line without a newline still counts. A line over `maxRecordBytes` is not kept: it is passed
    /// on as an oversized line with only its length, so memory stays bounded whatever the input.
    func nextBatch() throws -> LineBatch? {
        var batch = LineBatch()
        while true {
            consumeLines(into: &batch)
            if batch.lines.count >= maxBatchLines || batch.storage.count >= maxBatchBytes { return batch }
            if isAtEnd {
                if !pending.isEmpty || pendingOversized != nil { finishLine(into: &batch) }
                return batch.lines.isEmpty ? nil : batch
            }
            if !batch.lines.isEmpty, !isInputReady() { return batch }
            try fill()
        }
    }

    private func consumeLines(into batch: inout LineBatch) {
        chunk.withUnsafeBufferPointer { bytes in
            while chunkStart < chunkEnd, batch.lines.count < maxBatchLines, batch.storage.count < maxBatchBytes {
                let rest = UnsafeRawPointer(bytes.baseAddress! + chunkStart)  // the chunk is never empty
                if let found = memchr(rest, 0x0A, chunkEnd - chunkStart) {
                    let newline = rest.distance(to: UnsafeRawPointer(found)) + chunkStart
                    addToPending(UnsafeBufferPointer(rebasing: bytes[chunkStart..<newline]))
                    chunkStart = newline + 1
                    finishLine(into: &batch)
                } else {
                    addToPending(UnsafeBufferPointer(rebasing: bytes[chunkStart..<chunkEnd]))
                    chunkStart = chunkEnd
                }
            }
        }
    }

    private func addToPending(_ piece: UnsafeBufferPointer<UInt8>) {
        if let oversized = pendingOversized {
            pendingOversized = oversized + piece.count
        } else if pending.count + piece.count > maxRecordBytes + 1 {
            // One byte of slack for a CR that finishLine strips.
            pendingOversized = pending.count + piece.count
            pending.removeAll()
        } else {
            pending.append(contentsOf: piece)
        }
    }

    private func finishLine(into batch: inout LineBatch) {
        lineNumber += 1
        defer {
            pending.removeAll(keepingCapacity: pending.count < 1 << 16)
            pendingOversized = nil
        }
        if let oversized = pendingOversized {
            batch.appendOversized(byteCount: oversized, number: lineNumber)
            return
        }
        var line = pending[...]
        if line.last == 0x0D { line = line.dropLast() }
        // A byte-order mark starts the input, or any line where files were concatenated (`cat a b`).
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.count > maxRecordBytes {
            batch.appendOversized(byteCount: line.count, number: lineNumber)
        } else {
            batch.append(line, number: lineNumber)
        }
    }

    private func fill() throws {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                chunkStart = 0
                chunkEnd = count
                isAtEnd = count == 0
                return
            }
            if errno == EINTR { continue }
            throw CommandError.io("cannot read input: \(String(cString: strerror(errno)))")
        }
    }

    /// Whether a read would return at once; a regular file always would.
    private func isInputReady() -> Bool {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
