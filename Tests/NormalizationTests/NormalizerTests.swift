import Moderation
import Testing

@testable import Normalization

struct NormalizerTests {
    /// The original code points `range` covers, as a string.
    static func original(_ text: String, _ range: Range<Int>) -> String {
        let scalars = Array(text.unicodeScalars)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range.clamped(to: 0..<scalars.count)])
        return String(view)
    }

    /// The byte range of the first occurrence of `needle` in `bytes`.
    static func byteRange(of needle: String, in bytes: [UInt8]) -> Range<Int>? {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }

    // MARK: - ASCII fast path

    @Test(arguments: [
        ("Hello WORLD 123!", "hello world 123!"),
        ("SEND IT TO MY CASHAPP", "send it to my cashapp"),
        ("already lower", "already lower"),
        ("@[`{ edges: AZ az", "@[`{ edges: az az"),
        ("", ""),
    ])
    func asciiIsLoweredOnTheIdentityMap(text: String, expected: String) {
        let normalized = Normalizer().normalize(text)
        #expect(String(decoding: normalized.bytes, as: UTF8.self) == expected)
        #expect(normalized.isIdentity)
        #expect(normalized.originStart.isEmpty && normalized.originEnd.isEmpty)
        #expect(normalized.originalLength == text.unicodeScalars.count)
        #expect(normalized.evasion == EvasionCounts())
    }

    @Test func asciiRangesMapToThemselves() {
        let text = "Send it to my CASHAPP"
        let normalized = Normalizer().normalize(text)
        let range = normalized.originalRange(forBytes: 14..<21)
        #expect(range == 14..<21)
        #expect(Self.original(text, range) == "CASHAPP")
    }

    // MARK: - Unicode path

    @Test(arguments: [
        // NFKC: fullwidth letters and ligatures become plain letters.
        ("pay by ｃａｓｈ now", "pay by cash now", "cash", "ｃａｓｈ"),
        ("ﬁnd me", "find me", "fi", "ﬁ"),
        // A normalized byte inside a ligature maps to the whole ligature.
        ("the ﬁne print", "the fine print", "ine", "ﬁne"),
        // Case folding keeps accents.
        ("ÉCOLE", "école", "école", "ÉCOLE"),
        // A decomposed É is one cluster: it folds to the precomposed é and maps to both code points.
        ("E\u{301}COLE", "école", "é", "E\u{301}"),
        ("Straße", "strasse", "ss", "ß"),
        ("STRASSE Straße", "strasse strasse", "strasse strasse", "STRASSE Straße"),
        // Superscripts and circled letters are compatibility forms.
        ("x² and ⓒash", "x2 and cash", "cash", "ⓒash"),
        // Invisible characters leave no bytes; a range across them includes them.
        ("cash\u{200B}app", "cashapp", "cashapp", "cash\u{200B}app"),
        ("café cash\u{2060}app", "café cashapp", "app", "app"),
        ("so\u{00AD}ft", "soft", "oft", "o\u{00AD}ft"),
        // A joiner is part of the letter's cluster: dropped, and the letter maps to both.
        ("cash\u{200D}app", "cashapp", "h", "h\u{200D}"),
    ])
    func unicodeFoldsAndMapsBack(text: String, expected: String, normalizedPart: String, originalPart: String) throws {
        let normalized = Normalizer().normalize(text)
        #expect(String(decoding: normalized.bytes, as: UTF8.self) == expected)
        #expect(!normalized.isIdentity)
        #expect(normalized.originStart.count == normalized.bytes.count)
        #expect(normalized.originEnd.count == normalized.bytes.count)
        #expect(normalized.originalLength == text.unicodeScalars.count)
        let bytes = try #require(Self.byteRange(of: normalizedPart, in: normalized.bytes))
        let range = normalized.originalRange(forBytes: bytes)
        #expect(Self.original(text, range) == originalPart)
    }

    @Test func mapIsMonotonicAndInBounds() {
        let text = "Ｈｅｌｌｏ ﬁne Straße É\u{200B}x 😀 caf\u{E9}"
        let normalized = Normalizer().normalize(text)
        var previous: Int32 = 0
        for index in normalized.bytes.indices {
            let start = normalized.originStart[index]
            let end = normalized.originEnd[index]
            #expect(start < end)
            #expect(start >= previous)
            #expect(Int(end) <= normalized.originalLength)
            previous = start
        }
    }

    @Test func emptyRangeMapsToAPoint() {
        let text = "ｃａｓｈ"
        let normalized = Normalizer().normalize(text)
        #expect(normalized.originalRange(forBytes: 2..<2) == 2..<2)
        #expect(normalized.originalRange(forBytes: 4..<4) == 4..<4)
    }

    // MARK: - Evasion counts

    @Test(arguments: [
        ("cash\u{200B}app", 1),
        ("c\u{200B}a\u{200B}s\u{200B}h", 3),
        ("cash\u{2060}app and ven\u{FEFF}mo", 2),
        ("so\u{00AD}ft", 1),
        // Between words, or at the start, an invisible character breaks nothing.
        ("\u{200B}cash app", 0),
        ("cash \u{200B}app", 0),
        ("ｃａｓｈ app", 0),
    ])
    func invisibleCharactersInsideWordsAreCounted(text: String, count: Int) {
        let normalized = Normalizer().normalize(text)
        #expect(normalized.evasion.invisibleInsideWords == count)
        #expect(!normalized.bytes.contains(0xE2))  // none of U+200B, U+2060 (E2 80 8B, E2 81 A0) is left
    }

    @Test func scratchReuseGivesTheSameResult() {
        var scratch = NormalizationScratch()
        let texts = ["ＡＢＣ ﬁ", "Straße", "ＡＢＣ ﬁ", "cash\u{200B}app", "Straße"]
        for text in texts {
            let reused = Normalizer().normalize(text, using: &scratch)
            let fresh = Normalizer().normalize(text)
            #expect(reused.bytes == fresh.bytes)
            #expect(reused.originStart == fresh.originStart)
            #expect(reused.originEnd == fresh.originEnd)
            #expect(reused.evasion == fresh.evasion)
        }
    }
}
