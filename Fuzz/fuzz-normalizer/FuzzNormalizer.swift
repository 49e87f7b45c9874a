internal import CLibFuzzer
internal import Foundation
internal import Moderation
internal import Normalization

private let normalizer = Normalizer()

/// Runs one input: normalizes one text and checks the map back to the original, and that a worker's
/// warm cache gives the same result as a fresh one.
func fuzzNormalizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var warm = NormalizationScratch()
    _ = normalizer.normalize(text, using: &warm)
    let first = normalizer.normalize(text, using: &warm)
    let fresh = normalizer.normalize(text)
    precondition(first.bytes == fresh.bytes, "a warm cache changed the normalized text")
    precondition(first.originStart == fresh.originStart && first.originEnd == fresh.originEnd, "a warm cache moved")
    let length = text.unicodeScalars.count
    precondition(first.originalLength == length, "original length \(first.originalLength), not \(length)")
    if !first.isIdentity {
        precondition(first.originStart.count == first.bytes.count, "one origin per byte")
        for (start, end) in zip(first.originStart, first.originEnd) {
            precondition(0 <= start && start <= end && Int(end) <= length, "origin \(start)..<\(end) out of range")
        }
    }
    if !first.bytes.isEmpty {
        let range = first.originalRange(forBytes: 0..<first.bytes.count)
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "range \(range) out of \(length)")
    }
    _ = String(validating: first.bytes, as: UTF8.self) ?? { preconditionFailure("normalized text is not UTF-8") }()
    return 0
}

/// Hands the command line to libFuzzer, which calls `fuzzNormalizer` with each input.
@main
enum FuzzNormalizer {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzNormalizer))
    }
}
