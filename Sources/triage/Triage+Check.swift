internal import ArgumentParser
internal import Engine
internal import Foundation
internal import Moderation

extension Triage {
    /// `triage check`: one post, explained for a person.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderate one post and explain the verdict.",
            discussion: """
                Prints the action, the category scores and every finding with its rule, its source \
                file:line and the matched text highlighted (in colour on a terminal).
                Exit status: 0 allow; 1 review; 2 block; 3 triage could not run; 64 a usage mistake.
                """
        )

        @OptionGroup var rules: RuleOptions

        @OptionGroup var post: PostOptions

        @Option(help: "Colour: auto (on a terminal), always or never.")
        var color: String = "auto"

        func validate() throws {
            guard ["auto", "always", "never"].contains(color) else {
                throw ValidationError("--color must be auto, always or never")
            }
        }

        func run() throws {
            let (pipeline, _, moderated) = try post.moderate(with: rules)
            let useColor = color == "always" || color == "auto" && isatty(STDOUT_FILENO) == 1
            print(Self.explain(moderated, policyHash: pipeline.rules.hash, color: useColor), terminator: "")
            try PostOptions.exit(for: moderated.verdict.action)
        }

        /// The human-readable explanation of a verdict.
        static func explain(_ moderated: Moderated, policyHash: String, color: Bool) -> String {
            let verdict = moderated.verdict
            let paint = Paint(enabled: color)
            var lines: [String] = []
            let action = verdict.action.rawValue.uppercased()
            let actionColor =
                verdict.action == .block ? Paint.red : verdict.action == .review ? Paint.yellow : Paint.green
            var header = paint.apply(actionColor, action) + "  score \(format(verdict.score))"
            if verdict.action != .allow { header += "  queue \(verdict.queue)  priority \(verdict.priority.rawValue)" }
            lines.append(header)
            for category in verdict.categories {
                lines.append("  \(category.name): \(format(category.score))")
            }
            if !verdict.findings.isEmpty { lines.append("findings:") }
            for finding in verdict.findings {
                lines.append(
                    "  \(finding.rule) [\(finding.category), weight \(format(finding.weight))] at \(finding.field.rawValue) "
                        + "\(finding.start)..<\(finding.end) \"\(finding.excerpt)\"  (\(finding.source))"
                )
            }
            lines.append("text:")
            lines.append(
                "  " + highlight(moderated.parsed.text, spans: verdict.findings.map { $0.start..<$0.end }, paint: paint)
            )
            lines.append("policy \(policyHash)")
            return lines.joined(separator: "\n") + "\n"
        }

        /// `text` with each span marked: reverse video on a terminal, `[[…]]` otherwise.
        static func highlight(_ text: String, spans: [Range<Int>], paint: Paint) -> String {
            let scalars = Array(text.unicodeScalars)
            var marked = Array(repeating: false, count: scalars.count)
            for span in spans {
                for index in span.clamped(to: 0..<scalars.count) { marked[index] = true }
            }
            var result = ""
            var inside = false
            for (index, scalar) in scalars.enumerated() {
                if marked[index] != inside {
                    result += marked[index] ? paint.open : paint.close
                    inside = marked[index]
                }
                result.unicodeScalars.append(scalar)
            }
            if inside { result += paint.close }
            return result
        }

        static func format(_ value: Double) -> String {
            String(format: "%.2f", value)
        }
    }
}

/// ANSI colours, or plain markers when colour is off.
struct Paint {
    let enabled: Bool
    static let red = "31"
    static let yellow = "33"
    static let green = "32"

    func apply(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[1;\(code)m\(text)\u{1B}[0m" : text
    }

    var open: String { enabled ? "\u{1B}[7m" : "[[" }
    var close: String { enabled ? "\u{1B}[0m" : "]]" }
}

/// The post `check` and `explain` look at: its text, format and context.
struct PostOptions: ParsableArguments {
    @Argument(help: "The post's text; read from standard input when omitted.")
    var text: String?

    @Flag(help: "The text is HTML.")
    var html = false

    @Option(help: "The author's role: creator, fan or staff.")
    var author: String?

    @Option(help: "The recipient's role: creator, fan or staff.")
    var to: String?

    @Option(help: "Where it appears: post, comment, dm, bio or caption.")
    var surface: String?

    func validate() throws {
        for (name, value) in [("--author", author), ("--to", to)] {
            if let value, Role(rawValue: value) == nil || value == "unknown" {
                throw ValidationError("\(name) must be creator, fan or staff, not '\(value)'")
            }
        }
        if let surface, Surface(rawValue: surface) == nil || surface == "unknown" {
            throw ValidationError("--surface must be post, comment, dm, bio or caption, not '\(surface)'")
        }
    }

    /// Loads the rules and moderates the post; anything that stops that is exit status 3.
    func moderate(with rules: RuleOptions) throws -> (Pipeline, Post, Moderated) {
        let pipeline: Pipeline
        do {
            pipeline = try rules.loadPipeline()
        } catch {
            warn(error.description)
            throw ExitCode(3)
        }
        let post = try makePost()
        var scratch = pipeline.makeScratch()
        do {
            return (pipeline, post, try pipeline.moderate(post, using: &scratch))
        } catch {
            warn("\(error)")
            throw ExitCode(3)
        }
    }

    /// Ends `check` and `explain` with the action's exit status: 0 allow, 1 review, 2 block.
    static func exit(for action: Action) throws {
        switch action {
        case .allow: return
        case .review: throw ExitCode(1)
        case .block: throw ExitCode(2)
        }
    }

    /// The post, with its text from the argument or standard input.
    func makePost() throws -> Post {
        let body: String
        if let text {
            body = text
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let decoded = String(data: data, encoding: .utf8) else {
                warn("standard input is not valid UTF-8")
                throw ExitCode(3)
            }
            body = decoded.hasSuffix("\n") ? String(decoded.dropLast()) : decoded
        }
        return Post(
            id: "check",
            body: body,
            format: html ? .html : .text,
            context: PostContext(
                authorRole: author.flatMap(Role.init(rawValue:)) ?? .unknown,
                recipientRole: to.flatMap(Role.init(rawValue:)) ?? .unknown,
                surface: surface.flatMap(Surface.init(rawValue:)) ?? .unknown
            )
        )
    }
}
