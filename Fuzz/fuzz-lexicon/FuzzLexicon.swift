internal import CLibFuzzer
internal import Foundation
internal import Matching
internal import Moderation
internal import Normalization

private let normalizer = Normalizer()
/// Text the rules are matched against once they load: plain, disguised and non-Latin words.
private let sample = normalizer.normalize("send it to my c@sh app, Sсam 123 $cashtag #free http://x.co ÿé 中文")

/// Runs one input: reads one lexicon file (YAML, through Yams), and when it is valid, builds the
/// lexicon (PCRE2 patterns, literal automaton) and matches a sample text with it.
func fuzzLexicon(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let contents = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (ruleSet, problems) = RuleSet.read(files: [LexiconFile(name: "fuzz.yml", contents: contents)])
    for problem in problems { _ = problem.description }
    guard let lexicon = try? Lexicon(ruleSet, normalize: { normalizer.normalize($0).bytes }) else { return 0 }
    var scratch = lexicon.makeScratch()
    let context = PostContext()
    let result = sample.bytes.withUnsafeBufferPointer { lexicon.hits(in: $0, context: context, using: &scratch) }
    for hit in result.hits {
        precondition(hit.range.upperBound <= sample.bytes.count, "hit \(hit.range) past the text")
    }
    return 0
}

/// Hands the command line to libFuzzer, which calls `fuzzLexicon` with each input.
@main
enum FuzzLexicon {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzLexicon))
    }
}
