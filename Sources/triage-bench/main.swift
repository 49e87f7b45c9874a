// triage-bench: generates a corpus and measures Triage end to end and stage by stage.
//
//   triage-bench generate POSTS            write a corpus of POSTS JSON Lines records to stdout
//   triage-bench stages FILE LEXICONS      time each stage over FILE on one thread, in process
//   triage-bench filter FILE TRIAGE ARGS…  time `TRIAGE filter ARGS… < FILE > /dev/null` (median of 3)
import Engine
import Foundation
import Ingestion
import Matching
import Moderation
import Normalization

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(
        Data("usage: triage-bench generate POSTS | stages FILE LEXICONS | filter FILE TRIAGE [ARGS…]\n".utf8)
    )
    exit(64)
}

/// Prints one result row: name, MB/s and posts/s.
func report(_ name: String, bytes: Int, posts: Int, seconds: Double) {
    let megabytes = Double(bytes) / 1_000_000
    let row =
        "\(name.padding(toLength: 28, withPad: " ", startingAt: 0)) "
        + String(format: "%8.1f MB/s %10.0f posts/s  (%.3f s)", megabytes / seconds, Double(posts) / seconds, seconds)
    print(row)
}

func time(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func readLines(_ path: String) -> [[UInt8]] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("triage-bench: cannot read \(path)\n".utf8))
        exit(2)
    }
    return data.split(separator: 0x0A).map { Array($0) }
}

switch arguments[1] {
case "generate":
    var corpus = Corpus(seed: 42)
    var out = ""
    for index in 0..<(Int(arguments[2]) ?? 200_000) {
        out += corpus.record(index: index)
        out += "\n"
        if out.utf8.count > 1 << 20 {
            FileHandle.standardOutput.write(Data(out.utf8))
            out = ""
        }
    }
    FileHandle.standardOutput.write(Data(out.utf8))

case "stages" where arguments.count >= 4:
    let lines = readLines(arguments[2])
    let totalBytes = lines.reduce(0) { $0 + $1.count + 1 }
    let pipeline = try Pipeline.load(lexicons: arguments[3])
    print(
        "rules: \(pipeline.rules.lexicon.rules.count) (\(pipeline.rules.lexicon.termCount) distinct terms), posts: \(lines.count)"
    )
    var bodies: [String] = []
    report(
        "json scan",
        bytes: totalBytes,
        posts: lines.count,
        seconds: time {
            for line in lines {
                let fields = line.withUnsafeBufferPointer { try? JSONRecordScanner.scan($0) }
                bodies.append(fields?.body ?? "")
            }
        }
    )
    let bodyBytes = bodies.reduce(0) { $0 + $1.utf8.count }
    var normalizedTexts: [NormalizedText] = []
    var normalizationScratch = NormalizationScratch()
    report(
        "normalize (body bytes)",
        bytes: bodyBytes,
        posts: bodies.count,
        seconds: time {
            for body in bodies {
                normalizedTexts.append(pipeline.normalizer.normalize(body, using: &normalizationScratch))
            }
        }
    )
    var matchScratch = pipeline.rules.lexicon.makeScratch()
    var hitCount = 0
    report(
        "lexicon match (body bytes)",
        bytes: bodyBytes,
        posts: bodies.count,
        seconds: time {
            for text in normalizedTexts {
                hitCount += text.bytes.withUnsafeBufferPointer {
                    pipeline.rules.lexicon.hits(in: $0, context: PostContext(), using: &matchScratch).hits.count
                }
            }
        }
    )
    var scratch = pipeline.makeScratch()
    report(
        "pipeline.moderate (1 thread)",
        bytes: bodyBytes,
        posts: bodies.count,
        seconds: time {
            for body in bodies { _ = try? pipeline.moderate(Post(id: "b", body: body), using: &scratch) }
        }
    )
    var batch = LineBatch()
    for (index, line) in lines.enumerated() { batch.append(line, number: index + 1) }
    let processor = RecordProcessor(pipeline: pipeline, format: .jsonl, sourceName: "bench", maxRecordBytes: 1 << 20)
    for workers in [1, 2] {
        report(
            "records, \(workers) worker(s)",
            bytes: totalBytes,
            posts: lines.count,
            seconds: time {
                _ = processor.process(batch, workers: workers)
            }
        )
    }
    print("hits: \(hitCount)")

case "rules" where arguments.count >= 4:
    // The cost of each compiled program over the corpus bodies, slowest first.
    let lines = readLines(arguments[2])
    let pipeline = try Pipeline.load(lexicons: arguments[3])
    let texts = lines.map { line in
        let body = line.withUnsafeBufferPointer { (try? JSONRecordScanner.scan($0))?.body } ?? ""
        return pipeline.normalizer.normalize(body).bytes
    }
    let bodyBytes = texts.reduce(0) { $0 + $1.count }
    var scratch = pipeline.rules.lexicon.makeScratch()
    var costs: [(String, Double)] = []
    for (source, pattern) in pipeline.rules.lexicon.programs {
        costs.append(
            (
                source,
                time {
                    for text in texts {
                        text.withUnsafeBufferPointer { _ = pattern.forEachMatch(in: $0, using: &scratch) { _ in } }
                    }
                }
            )
        )
    }
    var joined: [UInt8] = []
    for text in texts {
        joined.append(contentsOf: text)
        joined.append(0x0A)
    }
    var total = 0.0
    var totalJoined = 0.0
    for (index, (source, pattern)) in pipeline.rules.lexicon.programs.enumerated() {
        let seconds = time {
            joined.withUnsafeBufferPointer { _ = pattern.forEachMatch(in: $0, using: &scratch) { _ in } }
        }
        total += costs[index].1
        totalJoined += seconds
        costs[index].0 += String(format: " (joined: %.1f MB/s)", Double(bodyBytes) / 1e6 / seconds)
    }
    print(String(format: "all programs: per post %.3f s, joined %.3f s", total, totalJoined))
    for (source, seconds) in costs.sorted(by: { $0.1 > $1.1 }) {
        report(
            source.padding(toLength: 60, withPad: " ", startingAt: 0),
            bytes: bodyBytes,
            posts: texts.count,
            seconds: seconds
        )
    }

case "literals" where arguments.count >= 3:
    // The prefilter literals of every pattern rule.
    let pipeline = try Pipeline.load(lexicons: arguments[2])
    for rule in pipeline.rules.lexicon.rules {
        guard case .pattern(let source) = rule.matcher else { continue }
        let literals =
            Lexicon.requiredLiterals(ofPattern: source).map { $0.sorted().joined(separator: "|") }
            ?? "(none: runs on every post)"
        print("\(rule.source) \(rule.id): \(literals.prefix(400))")
    }

case "evasion" where arguments.count >= 3:
    // Recall of every shipped term in every disguise; misses are listed (at most 40).
    let pipeline = try Pipeline.load(lexicons: arguments[2])
    let cases = EvasionSet.cases(for: pipeline.rules.lexicon)
    var batch = LineBatch()
    for (index, testCase) in cases.enumerated() { batch.append(Array(testCase.record.utf8), number: index + 1) }
    let processor = RecordProcessor(pipeline: pipeline, format: .jsonl, sourceName: "evasion", maxRecordBytes: 1 << 20)
    let output = processor.process(batch, workers: 2)
    var caught: [String: (hit: Int, total: Int)] = [:]
    var misses: [String] = []
    var index = 0
    output.forEachRecord { _, line in
        let testCase = cases[index]
        index += 1
        let text = String(decoding: line, as: UTF8.self)
        let hit = text.contains("\"rule\":\"\(testCase.rule)\"")
        caught[testCase.disguise, default: (0, 0)].total += 1
        if hit {
            caught[testCase.disguise, default: (0, 0)].hit += 1
        } else {
            misses.append("\(testCase.disguise): \(testCase.rule): \(testCase.record)")
        }
    }
    var hits = 0
    var total = 0
    for (name, counts) in caught.sorted(by: { $0.key < $1.key }) {
        print(
            String(
                format: "%-12@ %5d / %5d  recall %.4f",
                name as NSString,
                counts.hit,
                counts.total,
                Double(counts.hit) / Double(counts.total)
            )
        )
        if name != "plain" {
            hits += counts.hit
            total += counts.total
        }
    }
    print(String(format: "disguised    %5d / %5d  recall %.4f", hits, total, Double(hits) / Double(total)))
    for miss in misses.prefix(40) { print("miss \(miss)") }

case "scale" where arguments.count >= 4:
    // Throughput with generated lexicons of 100, 1,000 and 10,000 rules (a tenth of them PCRE2 patterns).
    let lines = readLines(arguments[2])
    let totalBytes = lines.reduce(0) { $0 + $1.count + 1 }
    var batch = LineBatch()
    for (index, line) in lines.enumerated() { batch.append(line, number: index + 1) }
    let policy = try String(contentsOfFile: arguments[3] + "/policy.yml", encoding: .utf8)
    for ruleCount in [100, 1_000, 10_000] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("triage-scale-\(ruleCount)/lexicons")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try policy.write(to: folder.appendingPathComponent("policy.yml"), atomically: true, encoding: .utf8)
        try GeneratedLexicon.yaml(rules: ruleCount, seed: 7)
            .write(to: folder.appendingPathComponent("generated.yml"), atomically: true, encoding: .utf8)
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let pipeline = try Pipeline.load(lexicons: folder.path)
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let processor = RecordProcessor(
            pipeline: pipeline,
            format: .jsonl,
            sourceName: "bench",
            maxRecordBytes: 1 << 20
        )
        for workers in [1, 2] {
            let seconds = (0..<3).map { _ in time { _ = processor.process(batch, workers: workers) } }.sorted()[1]
            report("\(ruleCount) rules, \(workers) worker(s)", bytes: totalBytes, posts: lines.count, seconds: seconds)
        }
        print(String(format: "  (%d rules load and compile in %.2f s)", ruleCount, loadSeconds))
    }

case "filter" where arguments.count >= 4:
    let path = arguments[2]
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let posts = readLines(path).count
    var timings: [Double] = []
    for _ in 0..<3 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[3])
        process.arguments = ["filter"] + arguments.dropFirst(4)
        process.standardInput = FileHandle(forReadingAtPath: path)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        timings.append(
            time {
                do { try process.run() } catch {
                    FileHandle.standardError.write(Data("triage-bench: cannot run \(arguments[3]): \(error)\n".utf8))
                    exit(2)
                }
                process.waitUntilExit()
            }
        )
        if process.terminationStatus != 0 {
            FileHandle.standardError.write(Data("triage-bench: filter exited \(process.terminationStatus)\n".utf8))
        }
    }
    report("triage filter (end to end)", bytes: size, posts: posts, seconds: timings.sorted()[1])

default:
    FileHandle.standardError.write(Data("triage-bench: unknown command \(arguments[1])\n".utf8))
    exit(64)
}
