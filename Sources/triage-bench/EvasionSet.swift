import Engine
import Matching
import Moderation

/// Generates the evasion set: every literal term of the shipped lexicons, written in each of the disguises
/// people use, as records scoped so that the term's rule applies.
struct EvasionSet {
    /// One disguised record and what it should trigger.
    struct Case {
        var disguise: String
        var rule: String
        var term: String
        var record: String
    }

    static let leet: [Character: Character] = ["a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"]
    static let cyrillic: [Character: Character] = [
        "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і",
    ]

    /// The disguises of `term`, by name; a disguise that would not change the term is left out.
    static func disguises(of term: String) -> [(name: String, text: String, isHTML: Bool)] {
        var result: [(String, String, Bool)] = [("plain", term, false)]
        let letters = Array(term)
        let leetText = String(letters.map { leet[$0] ?? $0 })
        if leetText != term { result.append(("leet", leetText, false)) }
        let words = term.split(separator: " ")
        let spaced = words.map { $0.map(String.init).joined(separator: ".") }.joined(separator: " ")
        if words.contains(where: { $0.count > 1 }) { result.append(("separators", spaced, false)) }
        if let first = letters.firstIndex(where: \.isLetter), first + 1 < letters.count, letters[first + 1].isLetter {
            result.append(
                ("zero-width", String(letters[...first]) + "\u{200B}" + String(letters[(first + 1)...]), false)
            )
        }
        let confusable = String(letters.map { cyrillic[$0] ?? $0 })
        if confusable != term { result.append(("confusables", confusable, false)) }
        if let vowel = letters.firstIndex(where: { "aeiouy".contains($0) }) {
            result.append(
                (
                    "repeated",
                    String(letters[...vowel]) + String(repeating: letters[vowel], count: 4)
                        + String(letters[(vowel + 1)...]), false
                )
            )
        }
        let fullwidth = String(
            String.UnicodeScalarView(
                term.unicodeScalars.map { scalar in
                    // U+FF01...U+FF5E mirror ASCII 0x21...0x7E, so the addition always lands on a scalar.
                    (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
                }
            )
        )
        result.append(("fullwidth", fullwidth, false))
        if letters.count >= 4 {
            let cut = letters.count / 2
            result.append(
                ("html-split", "<p>" + String(letters[..<cut]) + "<b>" + String(letters[cut...]) + "</b></p>", true)
            )
        }
        return result
    }

    /// Every case for every term of `lexicon`.
    static func cases(for lexicon: Lexicon) -> [Case] {
        var cases: [Case] = []
        for rule in lexicon.rules {
            guard case .terms(let terms) = rule.matcher else { continue }
            for term in terms where term.unicodeScalars.allSatisfy({ $0.isASCII }) {
                let lowered = term.lowercased()
                for (name, text, isHTML) in disguises(of: lowered) {
                    var record = "{\"id\":\"\(rule.id)|\(name)\",\"body\":" + Corpus.quoted(text)
                    if isHTML { record += ",\"format\":\"html\"" }
                    if let author = rule.scope.authors.sorted(by: { $0.rawValue < $1.rawValue }).first {
                        record += ",\"author\":{\"role\":\"\(author.rawValue)\"}"
                    }
                    if let recipient = rule.scope.recipients.sorted(by: { $0.rawValue < $1.rawValue }).first {
                        record += ",\"to\":{\"role\":\"\(recipient.rawValue)\"}"
                    }
                    if let surface = rule.scope.surfaces.sorted(by: { $0.rawValue < $1.rawValue }).first {
                        record += ",\"surface\":\"\(surface.rawValue)\""
                    }
                    cases.append(Case(disguise: name, rule: rule.id, term: lowered, record: record + "}"))
                }
            }
        }
        return cases
    }
}
