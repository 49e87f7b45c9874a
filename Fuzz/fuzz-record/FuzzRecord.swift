internal import CLibFuzzer
internal import Engine
internal import Foundation
internal import Ingestion

/// The shipped rules (`$TRIAGE_LEXICONS`, else `lexicons/` in the working directory), loaded once.
private let processors: [RecordProcessor] = {
    let directory = ProcessInfo.processInfo.environment["TRIAGE_LEXICONS"] ?? "lexicons"
    let pipeline: Pipeline
    do {
        pipeline = try Pipeline.load(lexicons: directory)
    } catch {
        // Nothing to fuzz without rules: say so and stop, before libFuzzer reads a single input.
        fatalError("fuzz-record: cannot load the rules in \(directory): \(error)")
    }
    return InputFormat.allCases.flatMap { format in
        [false, true].map { redacts in
            var processor = RecordProcessor(
                pipeline: pipeline,
                format: format,
                sourceName: "fuzz",
                maxRecordBytes: 4_096
            )
            processor.redactsPersonalData = redacts
            processor.recordsSources = redacts
            return processor
        }
    }
}()

/// Runs one input: runs input lines through the whole pipeline as `triage filter` does (reading,
/// HTML, normalization, matching, heuristics, routing, encoding) and checks that every line comes out as one
/// line of valid JSON.
///
/// The first byte picks the input format (JSON Lines, text or HTML) and whether personal data is redacted; the
/// rest is the input, cut into lines at `\n` (an HTML document is one record).
func fuzzRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let processor = processors[Int(data[0]) % processors.count]
    let input = UnsafeBufferPointer(start: data + 1, count: size - 1)
    var batch = LineBatch()
    var lines: [ArraySlice<UInt8>] = []
    if processor.format == .html {
        lines = [ArraySlice(input)]
    } else {
        lines = input.split(separator: 0x0A, omittingEmptySubsequences: false).map { ArraySlice($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
    }
    for (index, line) in lines.enumerated() {
        if line.count > processor.maxRecordBytes {
            batch.appendOversized(byteCount: line.count, number: index + 1)
        } else {
            batch.append(line, number: index + 1)
        }
    }
    let output = processor.process(batch, workers: 1)
    precondition(output.records.count == lines.count, "\(lines.count) lines in, \(output.records.count) out")
    output.forEachRecord { _, encoded in
        precondition(encoded.last == 0x0A, "an output line without its line end")
        let line = encoded.dropLast()
        precondition(!line.contains(0x0A), "one record became several lines")
        let object = try? JSONSerialization.jsonObject(with: Data(line))
        precondition(object is [String: Any], "not a JSON object: \(String(decoding: line, as: UTF8.self))")
    }
    return 0
}

/// Hands the command line to libFuzzer, which calls `fuzzRecord` with each input.
@main
enum FuzzRecord {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzRecord))
    }
}
