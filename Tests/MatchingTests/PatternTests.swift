import Testing

@testable import Matching

struct PatternTests {
    @Test(arguments: [
        ("free money", "FREE MONEY now", true),
        ("free money", "money for free", false),
        (#"\bcr[a@]p\b"#, "what CR@P", true),
        (#"\bcr[a@]p\b"#, "crapple", false),
        (#"\$[a-z][a-z0-9_]{2,19}\b"#, "send to $LolaVIP", true),
        (#"\$[a-z][a-z0-9_]{2,19}\b"#, "it costs $40", false),
        ("école", "ÉCOLE", true),
        (#"\p{L}+ app"#, "ÇA app", true),
    ])
    func caselessMatching(pattern: String, text: String, matches: Bool) throws {
        let compiled = try Pattern(pattern, source: "test:1", caseless: true)
        var scratch = MatchScratch()
        #expect(compiled.matches(text, using: &scratch) == matches)
        #expect(compiled.source == "test:1")
    }

    @Test func caseSensitiveByDefault() throws {
        let compiled = try Pattern("free money", source: "test:1")
        var scratch = MatchScratch()
        #expect(compiled.matches("free money", using: &scratch))
        #expect(!compiled.matches("FREE MONEY", using: &scratch))
    }

    @Test func forEachMatchReportsEveryByteRangeInOrder() throws {
        let compiled = try Pattern("ca[a-z]h", source: "test:1", caseless: true)
        var scratch = MatchScratch()
        var ranges: [Range<Int>] = []
        var text = "café cash, CASH and cath"
        let finished = text.withUTF8 { utf8 in
            compiled.forEachMatch(in: utf8, using: &scratch) { ranges.append($0) }
        }
        #expect(finished)
        // "café " is 6 bytes: é takes two, so offsets are UTF-8 bytes, not characters.
        #expect(ranges == [6..<10, 12..<16, 21..<25])
    }

    @Test func emptyMatchesAdvanceByWholeCodePoints() throws {
        let compiled = try Pattern("x*", source: "test:1")
        var scratch = MatchScratch()
        var ranges: [Range<Int>] = []
        var text = "éx"
        text.withUTF8 { utf8 in
            _ = compiled.forEachMatch(in: utf8, using: &scratch) { ranges.append($0) }
        }
        #expect(ranges == [0..<0, 2..<3, 3..<3])
    }

    @Test(arguments: [
        ("foo(", 4, "missing closing parenthesis"),
        ("a[b", 3, "missing terminating ] for character class"),
        ("x{2,1}", 5, "numbers out of order in {} quantifier"),
        ("(?<n>a)(?<n>b)", 12, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)"),
        (#"ab\"#, 3, #"\ at end of pattern"#),
        ("*a", 0, "quantifier does not follow a repeatable item"),
    ])
    func brokenPatternSaysWhereAndWhy(pattern: String, offset: Int, reason: String) {
        #expect(throws: MatchingError.invalidPattern(source: "lexicons/t.yml:2", offset: offset, reason: reason)) {
            try Pattern(pattern, source: "lexicons/t.yml:2", caseless: true)
        }
    }

    @Test func invalidPatternDescriptionIsOneLine() {
        let error = MatchingError.invalidPattern(
            source: "lexicons/t.yml:2",
            offset: 4,
            reason: "missing closing parenthesis"
        )
        #expect(
            error.description == "lexicons/t.yml:2: pattern does not compile at byte 4: missing closing parenthesis"
        )
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let compiled = try Pattern("(a+)+$", source: "redos:1")
        var scratch = MatchScratch(matchLimit: 10_000)
        var text = String(repeating: "a", count: 40) + "!"
        let finished = text.withUTF8 { utf8 in
            compiled.forEachMatch(in: utf8, using: &scratch) { _ in }
        }
        #expect(!finished)
    }
}
