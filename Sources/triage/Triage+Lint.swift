internal import ArgumentParser
internal import Engine
internal import Foundation
internal import Matching

extension Triage {
    /// `triage lint`: checks a lexicons folder before it ships.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a lexicons folder: syntax, patterns, ids, examples, backtracking, floors.",
            discussion: """
                Prints every problem as file:line:column: message. Checks that each file reads and has only \
                known keys, each pattern compiles (with PCRE2's own message), ids are unique, each rule \
                matches its examples and none of its counterexamples, no pattern backtracks catastrophically \
                on adversarial text, no \\b stands where it cannot match, and no override loosens a floor.
                With --export-patterns FILE, lint writes the rules as plain regular expressions instead, one a \
                line, for other tools: each term as \\bterm\\b (escaped, spaces as \\s+), each pattern as written, \
                composite rules left out. --export-dialect rust leaves out the patterns Rust's regex (rg) cannot \
                compile, listing them on stderr; rust-ascii also makes every \\b ASCII, (?-u:\\b), as for \
                rg --no-unicode. The export is for benchmarks: it has none of Triage's normalization.
                Exit status: 0 clean; 1 problems found; 2 the folder could not be read; 64 a usage mistake.
                """
        )

        /// How problems are printed.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: "The lexicons folder (default: as for filter).")
        var directory: String?

        @Option(help: "text (file:line:column: message) or json (an array of objects), for tools.")
        var format: Format = .text

        @Option(
            help: ArgumentHelp(
                "Write the rules as one regular expression a line to this file, instead of linting.",
                valueName: "file"
            )
        )
        var exportPatterns: String?

        @Option(help: "The regex engine --export-patterns writes for: pcre2, rust or rust-ascii.")
        var exportDialect: PatternExport.Dialect = .pcre2

        func run() throws {
            let folder: String
            do {
                folder = try RuleBook.locate(explicit: directory, executablePath: RuleOptions.executablePath)
            } catch {
                warn(error.description)
                throw ExitCode(2)
            }
            guard FileManager.default.fileExists(atPath: folder) else {
                warn("\(folder): no such folder")
                throw ExitCode(2)
            }
            if let exportPatterns {
                try export(folder: folder, to: exportPatterns)
                return
            }
            let problems = Linter.lint(directory: folder)
            switch format {
            case .text:
                for problem in problems { print("\(problem.location): \(problem.message)") }
                let summary = problems.isEmpty ? "\(folder): no problems" : "\(folder): \(problems.count) problem(s)"
                warn(summary)
            case .json:
                let objects = problems.map { problem -> [String: Any] in
                    var object: [String: Any] = ["location": problem.location, "message": problem.message]
                    let parts = problem.location.split(separator: ":")
                    if parts.count >= 2, let line = Int(parts[1]) {
                        object["file"] = String(parts[0])
                        object["line"] = line
                        if parts.count >= 3, let column = Int(parts[2]) { object["column"] = column }
                    }
                    return object
                }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }

        /// Writes the rules of `folder` to `path` as plain regular expressions (see `PatternExport`).
        func export(folder: String, to path: String) throws {
            let prefix = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
            let files: [LexiconFile]
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: folder)
                    .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
                    .filter { !["policy.yml", "policy.yaml", "domains.yml", "domains.yaml"].contains($0) }
                    .sorted()
                    .map { name in
                        let contents = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                        return LexiconFile(name: "\(prefix)/\(name)", contents: contents)
                    }
            } catch {
                warn("\(folder): cannot read the lexicons: \(error.localizedDescription)")
                throw ExitCode(2)
            }
            let ruleSet: RuleSet
            do {
                ruleSet = try RuleSet(files: files)
            } catch {
                warn(error.description)
                throw ExitCode(1)
            }
            let export = PatternExport(rules: ruleSet.rules, dialect: exportDialect)
            do {
                try export.text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                warn("\(path): cannot write: \(error.localizedDescription)")
                throw ExitCode(2)
            }
            if exportDialect == .pcre2, !export.rustIncompatible.isEmpty {
                warn(
                    "\(export.rustIncompatible.count) pattern(s) use look-around or other PCRE2-only syntax that rg "
                        + "(Rust regex) rejects; --export-dialect rust leaves them out: "
                        + export.rustIncompatible.joined(separator: ", ")
                )
            }
            if !export.leftOut.isEmpty {
                warn(
                    "left out \(export.leftOut.count) pattern(s) \(exportDialect.rawValue) cannot take: "
                        + export.leftOut.joined(separator: ", ")
                )
            }
            warn("\(path): \(export.expressions.count) expressions (\(exportDialect.rawValue))")
        }
    }
}

extension PatternExport.Dialect: ExpressibleByArgument {}
