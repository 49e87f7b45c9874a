internal import CLibFuzzer
internal import Foundation
internal import Ingestion

/// Runs one input: scans one JSON Lines record with `JSONRecordScanner`.
///
/// Besides crashes, it checks the scanner against Foundation's `JSONSerialization` on what both must agree on:
/// a line the scanner accepts is a JSON object, and its `body`, when a string, is the same string.
func fuzzJSONL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = UnsafeBufferPointer(start: data, count: size)
    guard let fields = try? JSONRecordScanner.scan(line) else { return 0 }
    if let range = fields.bodyRange {
        precondition(range.lowerBound >= 0 && range.upperBound <= size, "body range \(range) outside the line")
    }
    // Foundation refuses some valid JSON (lone surrogate escapes) and reads numbers its own way: compare only
    // what it reads.
    let object = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
    guard let dictionary = object as? [String: Any] else { return 0 }
    if let body = dictionary["body"] as? String, let scanned = fields.body {
        precondition(body == scanned, "the scanner and Foundation read different bodies")
    }
    if let id = dictionary["id"] as? String, let scanned = fields.id {
        precondition(id == scanned, "the scanner and Foundation read different ids")
    }
    return 0
}

/// Hands the command line to libFuzzer, which calls `fuzzJSONL` with each input.
@main
enum FuzzJSONL {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzJSONL))
    }
}
