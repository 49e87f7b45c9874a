import Moderation
import Testing

@testable import Matching

struct RuleSetTests {
    static func ruleSet(_ files: (name: String, yaml: String)...) throws(MatchingError) -> RuleSet {
        try RuleSet(files: files.map { LexiconFile(name: $0.name, contents: $0.yaml) })
    }

    @Test func readsRulesInFileOrder() throws {
        let rules = try Self.ruleSet(
            (
                "lexicons/pay.yml",
                """
                category: offplatform.payment
                description: Money off the platform.
                rules:
                  - id: pay.cashapp
                    description: Cash App.
                    terms: [cashapp, "cash app"]
                    weight: 0.6
                    examples: ["my cashapp"]
                    counterexamples: ["cash only"]
                  - id: pay.tag
                    category: offplatform.tag
                    pattern: '\\$[a-z]{3,}'
                    weight: 0.3
                    scope: {authors: [fan], recipients: [creator], surfaces: [dm, comment]}
                allow: ["cashapp support"]
                """
            )
        )
        #expect(rules.rules.map(\.id) == ["pay.cashapp", "pay.tag"])
        let first = try #require(rules.rules.first)
        #expect(first.category == "offplatform.payment")
        #expect(first.weight == 0.6)
        #expect(first.source == "lexicons/pay.yml:4")
        #expect(first.examples == ["my cashapp"])
        #expect(first.counterexamples == ["cash only"])
        guard case .terms(let terms) = first.matcher else {
            Issue.record("pay.cashapp should be a terms rule")
            return
        }
        #expect(terms == ["cashapp", "cash app"])
        let second = try #require(rules.rules.last)
        #expect(second.category == "offplatform.tag")
        #expect(second.source == "lexicons/pay.yml:10")
        #expect(second.scope == ContextScope(authors: [.fan], recipients: [.creator], surfaces: [.dm, .comment]))
        guard case .pattern(let pattern) = second.matcher else {
            Issue.record("pay.tag should be a pattern rule")
            return
        }
        #expect(pattern == #"\$[a-z]{3,}"#)
        let allow = try #require(rules.allowLists.first)
        #expect(allow.phrases == ["cashapp support"])
        #expect(allow.ruleIndices == 0..<2)
    }

    @Test(arguments: [
        // A typo'd key gets a suggestion, at the key's line and column.
        (
            """
            category: test
            rules:
              - id: t.one
                terms: [cash]
                wieght: 0.5
            """,
            MatchingError.invalidLexicon(location: "t.yml:5:5", reason: "unknown key 'wieght'; did you mean 'weight'?")
        ),
        (
            """
            category: test
            rule:
              - id: t.one
            """,
            .invalidLexicon(location: "t.yml:2:1", reason: "unknown key 'rule'; did you mean 'rules'?")
        ),
        (
            """
            category: test
            rules:
              - id: t.one
                terms: [cash]
                weight: 0.5
                colour: red
            """,
            .invalidLexicon(
                location: "t.yml:6:5",
                reason: "unknown key 'colour'; expected one of: id, description, terms, pattern, all_of, any_of, "
                    + "none_of, min_count, within_words, weight, category, scope, examples, counterexamples"
            )
        ),
        (
            """
            category: test
            rules:
              - terms: [cash]
                weight: 0.5
            """,
            .invalidLexicon(location: "t.yml:3:5", reason: "a rule needs an 'id'")
        ),
        (
            """
            category: test
            rules:
              - id: t.both
                terms: [cash]
                pattern: 'cash'
                weight: 0.5
            """,
            .invalidLexicon(
                location: "t.yml:3:5",
                reason: "rule 't.both' mixes 'terms', 'pattern' and 'all_of'/'any_of'; split it into rules"
            )
        ),
        (
            """
            category: test
            rules:
              - id: t.neither
                weight: 0.5
            """,
            .invalidLexicon(
                location: "t.yml:3:5",
                reason: "rule 't.neither' needs 'terms', a 'pattern', or 'all_of'/'any_of' of other rules"
            )
        ),
        (
            """
            category: test
            rules:
              - id: t.light
                terms: [cash]
            """,
            .invalidLexicon(location: "t.yml:3:5", reason: "rule 't.light' needs a 'weight' from 0 to 1")
        ),
        (
            """
            category: test
            rules:
              - id: t.heavy
                terms: [cash]
                weight: 1.5
            """,
            .invalidLexicon(location: "t.yml:5:13", reason: "weight must be above 0 and at most 1")
        ),
        (
            """
            category: test
            rules:
              - id: t.scope
                terms: [cash]
                weight: 0.5
                scope: {surfaces: [dm, forum]}
            """,
            .invalidLexicon(
                location: "t.yml:6:28",
                reason: "unknown surface; expected post, comment, dm, bio or caption"
            )
        ),
        (
            """
            description: no category
            rules: []
            """,
            .invalidLexicon(
                location: "t.yml:1:1",
                reason: "a lexicon needs a 'category' (the category its rules score)"
            )
        ),
    ])
    func shapeErrorsSayWhere(yaml: String, error: MatchingError) {
        #expect(throws: error) {
            try Self.ruleSet(("t.yml", yaml))
        }
    }

    @Test func yamlSyntaxErrorsSayWhere() throws {
        let error = try #require(throws: MatchingError.self) {
            try Self.ruleSet(("t.yml", "category: test\nrules:\n  - id: [unclosed\n"))
        }
        guard case .invalidLexicon(let location, let reason) = error else {
            Issue.record("expected invalidLexicon, got \(error)")
            return
        }
        #expect(location.hasPrefix("t.yml:"))
        #expect(location.split(separator: ":").count == 3)
        #expect(reason.hasPrefix("YAML: "))
    }

    @Test func duplicateRuleIDsAcrossFiles() {
        let first = (
            name: "lexicons/a.yml", yaml: "category: a\nrules:\n  - id: same.id\n    terms: [x]\n    weight: 0.5\n"
        )
        let second = (
            name: "lexicons/b.yml",
            yaml:
                "category: b\nrules:\n  - id: other\n    terms: [y]\n    weight: 0.5\n  - id: same.id\n    terms: [z]\n    weight: 0.5\n"
        )
        #expect(
            throws: MatchingError.duplicateRule(id: "same.id", first: "lexicons/a.yml:3", second: "lexicons/b.yml:6:9")
        ) {
            try Self.ruleSet(first, second)
        }
        let error = MatchingError.duplicateRule(id: "same.id", first: "lexicons/a.yml:3", second: "lexicons/b.yml:6")
        #expect(error.description == "lexicons/b.yml:6: rule id 'same.id' is already used at lexicons/a.yml:3")
    }

    @Test func invalidPatternInALexiconCitesItsLineAndColumn() {
        #expect(
            throws: MatchingError.invalidPattern(
                source: "lexicons/t.yml:4:14",
                offset: 4,
                reason: "missing closing parenthesis"
            )
        ) {
            try Self.ruleSet(
                ("lexicons/t.yml", "category: t\nrules:\n  - id: t.bad\n    pattern: 'foo('\n    weight: 0.5\n")
            )
        }
    }
}
