/// Generates a lexicon of any size for scaling benchmarks: made-up words (so they fire about as rarely as
/// real abuse terms do), nine rules in ten with two or three literal terms, one in ten a PCRE2 pattern.
enum GeneratedLexicon {
    static let syllables = [
        "ka", "zo", "vri", "ple", "mur", "tan", "gek", "sho", "blu", "dra", "wix", "quo", "fen", "lor", "sna", "tri",
        "yol", "pim", "grz", "hux",
    ]

    static func yaml(rules: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        func word() -> String {
            (0..<3).map { _ in syllables[Int(random.next(UInt64(syllables.count)))] }.joined()
        }
        var text = "category: spam\ndescription: Generated for benchmarks.\nrules:\n"
        for index in 0..<rules {
            text += "  - id: gen.r\(index)\n    weight: 0.5\n"
            if index % 10 == 9 {
                text += "    pattern: '\\b\(word())[0-9]{2,4}\\b'\n"
            } else {
                let terms = (0..<(2 + index % 2)).map { _ in index % 3 == 0 ? word() + " " + word() : word() }
                text += "    terms: [\(terms.joined(separator: ", "))]\n"
            }
        }
        return text
    }
}
