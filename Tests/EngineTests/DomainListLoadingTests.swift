import Classification
import Engine
import Moderation
import Testing

/// `domains.yml` through the engine: loaded beside the lexicons, hashed, linted, and deciding verdicts.
struct DomainListLoadingTests {
    static let domains = """
        block:
          - {domain: grabify.link, category: scam, weight: 0.9, note: "IP logger"}
        allow:
          - onlyfans.com
        """

    @Test func loadsBesideTheLexiconsAndIsNotALexicon() throws {
        let pipeline = try Pipeline.load(lexicons: try LinterTests.folder(["domains.yml": Self.domains]))
        #expect(pipeline.rules.domains.blocked["grabify.link"]?.weight == 0.9)
        #expect(pipeline.rules.domains.allowed == ["onlyfans.com"])
    }

    @Test func aMissingDomainListIsEmpty() throws {
        let pipeline = try Pipeline.load(lexicons: try LinterTests.folder([:]))
        #expect(pipeline.rules.domains.isEmpty)
    }

    @Test func theDomainListIsPartOfThePolicyHash() throws {
        let without = try Pipeline.load(lexicons: try LinterTests.folder([:]))
        let with = try Pipeline.load(lexicons: try LinterTests.folder(["domains.yml": Self.domains]))
        let changed = try Pipeline.load(
            lexicons: try LinterTests.folder(["domains.yml": Self.domains + "\n  - fansly.com\n"])
        )
        #expect(without.rules.hash != with.rules.hash)
        #expect(with.rules.hash != changed.rules.hash)
    }

    static let broken = "block:\n  - {domain: grabify.link, category: scam, weight: 2}\n"

    @Test func aBrokenDomainListStopsLoadingAndSaysWhere() throws {
        let folder = try LinterTests.folder(["domains.yml": Self.broken])
        #expect {
            try Pipeline.load(lexicons: folder)
        } throws: { error in
            "\(error)" == "lexicons/domains.yml:2:52: weight must be above 0 and at most 1"
        }
    }

    @Test func lintReportsABrokenDomainList() throws {
        let problems = Linter.lint(directory: try LinterTests.folder(["domains.yml": Self.broken]))
        #expect(
            problems == [
                LintProblem(location: "lexicons/domains.yml:2:52", message: "weight must be above 0 and at most 1")
            ]
        )
    }

    // MARK: - Verdicts

    /// The shipped lexicons, policy and domain list.
    static func moderate(_ body: String, context: PostContext = PostContext()) throws -> Verdict {
        let pipeline = try RecordProcessorTests.loaded.get()
        var scratch = pipeline.makeScratch()
        return try pipeline.moderate(Post(id: "p", body: body, context: context), using: &scratch).verdict
    }

    @Test func aBlocklistedScamLinkIsBlocked() throws {
        let body = "hey babe, see my new pics at grabify.link/Xy12ab"
        let verdict = try Self.moderate(body, context: PostContext(authorRole: .fan, surface: .comment))
        #expect(verdict.action == .block)
        let finding = try #require(verdict.findings.first { $0.rule == "links.blocklisted" })
        #expect(finding.category == "scam")
        #expect(finding.source == "classifier:links.blocklisted")
        #expect(RecordProcessorTests.slice(body, finding.start, finding.end) == "grabify.link/Xy12ab")
    }

    @Test func anIPHostGoesToReview() throws {
        let verdict = try Self.moderate("my pics are at http://45.12.9.3/pics")
        #expect(verdict.action == .review)
        #expect(verdict.queue == "scam")
        #expect(verdict.findings.map(\.rule) == ["scam.ip_host"])
    }

    @Test func anAllowedPlatformLinkIsAllowed() throws {
        #expect(try Self.moderate("new set up on onlyfans.com/jess and patreon.com/jess").action == .allow)
    }

    @Test func policySwitchesAndReweighsTheLinkRules() throws {
        let policy = """
            default: {review: 0.5, block: 0.9}
            categories:
              scam: {review: 0.4, block: 0.85}
            heuristics:
              links.blocklisted: {enabled: false}
              scam.ip_host: {weight: 0.9}
            """
        let folder = try LinterTests.folder(["domains.yml": Self.domains], policy: policy)
        let pipeline = try Pipeline.load(lexicons: folder)
        var scratch = pipeline.makeScratch()
        let blocked = try pipeline.moderate(Post(id: "a", body: "see grabify.link/abc"), using: &scratch)
        #expect(blocked.verdict.action == .allow)
        let ip = try pipeline.moderate(Post(id: "b", body: "see http://45.12.9.3/abc"), using: &scratch)
        #expect(ip.verdict.findings.first { $0.rule == "scam.ip_host" }?.weight == 0.9)
        #expect(ip.verdict.action == .block)
    }
}
