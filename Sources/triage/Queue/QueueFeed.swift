internal import Engine
internal import Moderation

extension BatchOutput {
    /// The batch's review and block verdicts (error records aside), without their newlines: what
    /// `--queue-db` puts into the review queue.
    var queueLines: [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        forEachRecord { record, line in
            if !record.isError, record.action != .allow { lines.append(line.dropLast()) }
        }
        return lines
    }
}
