import Matching
import Moderation
import Normalization
import Testing

/// The prefilter may only skip a pattern when no match is possible: every literal set it derives must be in
/// every match.
struct RequiredLiteralsTests {
    @Test(arguments: [
        (
            #"\b(?:you|u) (?:stupid )?(?:idiot|moron)\b"#,
            [
                "you idiot", "you moron", "you stupid idiot", "you stupid moron", "u idiot", "u moron",
                "u stupid idiot",
                "u stupid moron",
            ] as [String]?
        ),
        (#"go{2}gle"#, ["gle"]),
        (#"ba{2,4}d"#, ["b"]),
        (#"\bno{0,2}pe\b"#, ["pe"]),
        (#"x(?:ab){0,2}y"#, ["x"]),
        (#"colou?r"#, ["colour", "color"]),
        (##"x[!-\#]y"##, ["x!y", "x\"y", "x#y"]),
        (#"(a+)+b"#, ["a"]),
        (#"\d{3}-\d{4}"#, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
        (#"(?i)foo"#, nil),
    ])
    func literalsAreInEveryMatch(pattern: String, expected: [String]?) {
        #expect(Lexicon.requiredLiterals(ofPattern: pattern) == expected.map(Set.init))
    }

    /// Regressions from review: counted repeats once made these patterns never run.
    @Test(arguments: [
        (#"go{2}gle"#, "google it"),
        (#"ba{2,4}d"#, "that is baad"),
        (#"\bno{0,2}pe\b"#, "noope"),
        (#"x(?:ab){0,2}y"#, "xababy"),
        (##"x[!-\#]y"##, #"x"y"#),
    ])
    func countedRepeatsStillMatch(pattern: String, text: String) throws {
        let yaml = "category: t\nrules:\n  - id: t.p\n    pattern: '\(pattern)'\n    weight: 0.5\n"
        let lexicon = try Lexicon(
            RuleSet(files: [LexiconFile(name: "t.yml", contents: yaml)]),
            normalize: { Normalizer().normalize($0).bytes }
        )
        var scratch = lexicon.makeScratch()
        let bytes = Normalizer().normalize(text).bytes
        let hits = bytes.withUnsafeBufferPointer { lexicon.hits(in: $0, context: PostContext(), using: &scratch).hits }
        #expect(!hits.isEmpty)
    }
}
