internal import CLibFuzzer
internal import Foundation
internal import Ingestion

/// Runs one input: reads CSV with `CSVReader`, once in one piece and once in small chunks and short
/// reads, and checks that both readings agree record for record.
///
/// The first three bytes choose the small reading's chunk size, read size and record limit (shared by both
/// readings), so the fuzzer moves the chunk boundaries over quotes, line ends and the byte-order mark.
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 3 else { return 0 }
    let chunkBytes = 3 + Int(data[0] % 61)
    let maxReadBytes = 1 + Int(data[1] % 17)
    let maxRecordBytes = 4 + Int(data[2])
    let bytes = Array(UnsafeBufferPointer(start: data + 3, count: size - 3))
    // One chunk for the whole input: a default mebibyte chunk would cost more to clear than the input to read.
    let whole = read(
        CSVReader(source: MemorySource(bytes), maxRecordBytes: maxRecordBytes, chunkBytes: max(3, bytes.count)),
        chunkBytes: max(3, bytes.count)
    )
    let pieces = read(
        CSVReader(
            source: MemorySource(bytes, maxReadBytes: maxReadBytes),
            maxRecordBytes: maxRecordBytes,
            chunkBytes: chunkBytes
        ),
        chunkBytes: chunkBytes
    )
    precondition(whole == pieces, "chunk boundaries changed what was read:\n\(whole)\n\(pieces)")
    return 0
}

/// Every record or error `reader` (reading `chunkBytes` at a time) returns, described, and how its reading ended.
private func read(_ reader: consuming CSVReader<MemorySource>, chunkBytes: Int) -> [String] {
    var reader = reader
    var seen: [String] = []
    do {
        seen.append("header \(String(describing: try reader.readHeader()))")
        while let next = try reader.nextRecord() {
            switch next {
            case .success(let record): seen.append("record \(record.line) \(record.offset) \(record.fields)")
            case .failure(let error): seen.append("error \(error)")
            }
            precondition(seen.count <= 1 + 2 * reader.bytesConsumed + 2, "more records than bytes")
            precondition(
                reader.bufferedByteCapacity <= chunkBytes + 8 * (reader.maxRecordBytes + 64),
                "buffers outgrew their bound: \(reader.bufferedByteCapacity) bytes"
            )
        }
    } catch {
        seen.append("stopped \(error)")
    }
    return seen
}

/// Hands the command line to libFuzzer, which calls `fuzzCSV` with each input.
@main
enum FuzzCSV {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzCSV))
    }
}
