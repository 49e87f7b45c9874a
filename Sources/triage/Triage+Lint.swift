internal import ArgumentParser
internal import Engine
internal import Foundation

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
    }
}
