internal import ArgumentParser
internal import Engine
internal import Foundation
internal import Moderation

extension Triage {
    /// `triage eval`: how the rules do on labelled data.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the rules on labelled records: confusion matrix, precision, recall, per-rule hits.",
            discussion: """
                Reads JSON Lines (a label field and a body field), or TSV/CSV with a header row. Each label is \
                mapped to the action it should get with --expect LABEL=allow|review|block|flag|any ("flag" is \
                review or block; "any" is left out of the scores). Prints the confusion matrix of labels \
                against actions, precision / recall / F1 of flagging, and for each rule its hits on records \
                that should be flagged and on records that should be allowed (SpamAssassin's hit \
                frequencies). With --baseline DIR, the same records go through a second rule set and the \
                moves between actions are counted: what shipping the change would do.
                Example: triage eval --labels dev.tsv --expect hate=flag --expect neither=allow \
                --expect offensive=any
                """
        )

        @OptionGroup var rules: RuleOptions

        @Option(help: ArgumentHelp("The labelled records (.jsonl, .tsv or .csv).", valueName: "file"))
        var labels: String

        @Option(
            name: .customLong("expect"),
            help: ArgumentHelp("LABEL=allow|review|block|flag|any, once per label.", valueName: "label=action")
        )
        var expectations: [String] = []

        @Option(help: "The field or column holding the label (default: label).")
        var labelColumn: String = "label"

        @Option(help: "The field or column holding the text (default: body, else text).")
        var textColumn: String?

        @Option(help: "The label of records that have none (a file of benign posts, say).")
        var defaultLabel: String?

        @Option(help: ArgumentHelp("Write false negatives and false positives here, as JSON Lines.", valueName: "file"))
        var misses: String?

        @Option(help: ArgumentHelp("A second lexicons folder to compare against.", valueName: "dir"))
        var baseline: String?

        @Option(help: "The author's role for every record: creator, fan or staff.")
        var author: String?

        @Option(help: "Where every record appears: post, comment, dm, bio or caption.")
        var surface: String?

        @Option(help: "Worker threads (default: all cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        /// What a label should get.
        enum Expected: String {
            case allow, review, block, flag, any

            func isMet(by action: Action) -> Bool {
                switch self {
                case .allow: action == .allow
                case .review: action == .review
                case .block: action == .block
                case .flag: action != .allow
                case .any: true
                }
            }

            var wantsFlag: Bool? {
                switch self {
                case .allow: false
                case .review, .block, .flag: true
                case .any: nil
                }
            }
        }

        func validate() throws {
            guard !expectations.isEmpty else { throw ValidationError("give at least one --expect LABEL=ACTION") }
            _ = try expectedActions()
            if let author, Role(rawValue: author) == nil || author == "unknown" {
                throw ValidationError("--author must be creator, fan or staff")
            }
            if let surface, Surface(rawValue: surface) == nil || surface == "unknown" {
                throw ValidationError("--surface must be post, comment, dm, bio or caption")
            }
        }

        func expectedActions() throws -> [String: Expected] {
            var result: [String: Expected] = [:]
            for expectation in expectations {
                let parts = expectation.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let expected = Expected(rawValue: parts[1]) else {
                    throw ValidationError("--expect takes LABEL=allow|review|block|flag|any, not '\(expectation)'")
                }
                result[parts[0]] = expected
            }
            return result
        }

        func run() throws {
            let expected = try expectedActions()
            let records: [(label: String, text: String)]
            do {
                records = try LabelledRecords.read(
                    path: labels,
                    labelColumn: labelColumn,
                    textColumn: textColumn,
                    defaultLabel: defaultLabel
                )
            } catch {
                warn("\(error)")
                throw ExitCode(2)
            }
            let context = PostContext(
                authorRole: author.flatMap(Role.init(rawValue:)) ?? .unknown,
                surface: surface.flatMap(Surface.init(rawValue:)) ?? .unknown
            )
            let posts = records.enumerated().map { index, record in
                Post(id: "\(labels):\(index + 1)", body: record.text, context: context)
            }
            let pipeline: Pipeline
            let baselinePipeline: Pipeline?
            do {
                pipeline = try rules.loadPipeline()
                baselinePipeline = try baseline.map { directory throws(EngineError) in
                    try Pipeline.load(lexicons: directory, policyOverlay: rules.policyOverlay)
                }
            } catch {
                warn(error.description)
                throw ExitCode(2)
            }
            let results = pipeline.moderateAll(posts, workers: jobs)
            // A body that cannot be read goes to review, as in `filter`.
            let actions = results.map { (try? $0.get().verdict.action) ?? .review }
            var report = EvalReport(expected: expected)
            var missLines: [String] = []
            for (index, result) in results.enumerated() {
                let label = records[index].label
                let verdict = (try? result.get().verdict) ?? Verdict.plainAllow
                let action = actions[index]
                report.add(label: label, action: action, rules: Set(verdict.findings.map(\.rule)))
                if let want = expected[label], !want.isMet(by: action), misses != nil {
                    missLines.append(
                        Self.missLine(
                            label: label,
                            want: want,
                            action: action,
                            text: records[index].text,
                            verdict: verdict
                        )
                    )
                }
            }
            print("records: \(records.count) from \(labels); rules \(pipeline.rules.hash)")
            print(report.render())
            if let baselinePipeline {
                let before = baselinePipeline.moderateAll(posts, workers: jobs).map {
                    (try? $0.get().verdict.action) ?? .review
                }
                print(Self.compare(before: before, after: actions, records: records))
            }
            if let misses {
                do {
                    try (missLines.joined(separator: "\n") + (missLines.isEmpty ? "" : "\n"))
                        .write(toFile: misses, atomically: true, encoding: .utf8)
                    print("misses: \(missLines.count) written to \(misses)")
                } catch {
                    warn("\(misses): cannot write: \(error.localizedDescription)")
                    throw ExitCode(2)
                }
            }
        }

        static func missLine(label: String, want: Expected, action: Action, text: String, verdict: Verdict) -> String {
            let object: [String: Any] = [
                "label": label, "expected": want.rawValue, "action": action.rawValue, "text": text,
                "rules": verdict.findings.map(\.rule),
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }

        /// How the actions move from the baseline rules to the current ones.
        static func compare(before: [Action], after: [Action], records: [(label: String, text: String)]) -> String {
            var moves: [String: Int] = [:]
            for index in records.indices {
                let (old, new) = (before[index], after[index])
                if old != new { moves["\(records[index].label): \(old.rawValue) → \(new.rawValue)", default: 0] += 1 }
            }
            guard !moves.isEmpty else { return "against the baseline: no post changes action" }
            var lines = ["against the baseline, shipping these rules moves:"]
            for (move, count) in moves.sorted(by: { $0.value > $1.value }) {
                lines.append("  \(String(count).leftPadded(to: 6)) posts  \(move)")
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
