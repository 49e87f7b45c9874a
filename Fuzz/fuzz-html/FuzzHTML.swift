internal import CLibFuzzer
internal import Foundation
internal import Ingestion
internal import Moderation

/// The ingestor, made once: libxml2 is set up before the first input.
private let ingestor = Ingestor(maxHTMLDepth: 256, maxHTMLNodes: 20_000)

/// Runs one input: parses one HTML body with `Ingestor` (libxml2) and checks that the links and hidden
/// ranges it reports lie inside the visible text.
func fuzzHTML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let parsed = try? ingestor.parse(body, format: .html) else { return 0 }
    let length = parsed.text.unicodeScalars.count
    for link in parsed.links {
        precondition(
            link.anchorRange.lowerBound >= 0 && link.anchorRange.upperBound <= length,
            "anchor \(link.anchorRange) outside the text's \(length) code points"
        )
    }
    for hidden in parsed.hiddenRanges {
        precondition(
            hidden.lowerBound >= 0 && hidden.upperBound <= length,
            "hidden range \(hidden) outside the text's \(length) code points"
        )
    }
    return 0
}

/// Hands the command line to libFuzzer, which calls `fuzzHTML` with each input.
@main
enum FuzzHTML {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzHTML))
    }
}
