internal import ArgumentParser
internal import Engine
internal import Foundation
internal import Moderation
internal import Normalization
internal import Routing

extension Triage {
    /// `triage explain`: every step of one decision, for a rule author or a moderator who disagrees.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how one post was decided: normalized text, rules, scores, thresholds, action.",
            discussion: """
                Prints the text the rules saw after normalization, each finding with its span and source, \
                each category's score (noisy-or of its rules' weights), the thresholds that applied with the \
                overrides and floors that shaped them, and the final action.
                Exit status: 0 allow; 1 review; 2 block; 3 triage could not run; 64 a usage mistake.
                """
        )

        @OptionGroup var rules: RuleOptions

        @OptionGroup var post: PostOptions

        func run() throws {
            let (pipeline, post, moderated) = try self.post.moderate(with: rules)
            print(Self.report(moderated, post: post, pipeline: pipeline), terminator: "")
            try PostOptions.exit(for: moderated.verdict.action)
        }

        static func report(_ moderated: Moderated, post: Post, pipeline: Pipeline) -> String {
            let verdict = moderated.verdict
            let context = post.context
            var lines: [String] = []
            lines.append(
                "context: author \(context.authorRole.rawValue), to \(context.recipientRole.rawValue), "
                    + "surface \(context.surface.rawValue)"
            )
            if moderated.parsed.field == .text {
                lines.append("visible text (HTML): \(moderated.parsed.text.debugDescription)")
            }
            let normalized = pipeline.normalizer.normalize(moderated.parsed.text)
            lines.append("normalized: \(String(decoding: normalized.bytes, as: UTF8.self).debugDescription)")
            lines.append("findings:")
            if verdict.findings.isEmpty { lines.append("  (none)") }
            for finding in verdict.findings {
                lines.append(
                    "  \(finding.rule) → \(finding.category) weight \(finding.weight), \(finding.field.rawValue) "
                        + "\(finding.start)..<\(finding.end) \(finding.excerpt.debugDescription), \(finding.source)"
                )
            }
            lines.append("categories:")
            if verdict.categories.isEmpty { lines.append("  (none)") }
            for category in verdict.categories {
                let (thresholds, steps) = pipeline.rules.policy.trace(for: category.name, in: context)
                let action: Action
                if let block = thresholds.block, category.score >= block {
                    action = .block
                } else if let review = thresholds.review, category.score >= review {
                    action = .review
                } else {
                    action = .allow
                }
                lines.append("  \(category.name): score \(category.score) → \(action.rawValue)")
                for step in steps { lines.append("    \(step)") }
            }
            var decision = "action: \(verdict.action.rawValue)"
            if verdict.action != .allow {
                decision += ", queue \(verdict.queue), priority \(verdict.priority.rawValue)"
            }
            lines.append(decision)
            lines.append("policy: \(pipeline.rules.hash)")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
