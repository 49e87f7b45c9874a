internal import ArgumentParser
internal import Engine
internal import Foundation

/// The `triage` command: moderation for creator platforms, from the shell.
@main
struct Triage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Moderate creator-platform content: allow, review or block, with the reasons.",
        discussion: """
            Exit status (filter): 0 every record moderated; 1 some input lines could not be read and became \
            error records; 2 triage could not run (no lexicons, a bad rule, an unreadable file); \
            64 a usage mistake.
            Exit status (check): 0 allow; 1 review; 2 block; 3 triage could not run; 64 a usage mistake.
            """,
        version: Pipeline.engineVersion,
        subcommands: [Filter.self, Scan.self, Check.self, Explain.self, Lint.self, Eval.self, Queue.self]
    )
}

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The lexicons folder (YAML rules and policy.yml).",
            discussion: "Default: $TRIAGE_LEXICONS, else the lexicons folder of the installation, else ./lexicons.",
            valueName: "dir"
        )
    )
    var lexicons: String?

    @Option(
        help: ArgumentHelp(
            "A creator's or community's policy overlay: may tighten anything, loosen only what is not a floor.",
            valueName: "file"
        )
    )
    var policyOverlay: String?

    /// The lexicons folder chosen by `--lexicons`, the environment or the installation.
    func directory() throws(EngineError) -> String {
        try RuleBook.locate(explicit: lexicons, executablePath: Self.executablePath)
    }

    /// Loads the pipeline from the chosen lexicons folder.
    func loadPipeline() throws(EngineError) -> Pipeline {
        try Pipeline.load(lexicons: try directory(), policyOverlay: policyOverlay)
    }

    /// This executable's path, for finding the lexicons installed beside it.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// Prints `message` on stderr prefixed with `triage: `, ignoring failures (stderr is the last resort).
func warn(_ message: String) {
    try? OutputFile.standardError.writeLine("triage: " + message)
}
