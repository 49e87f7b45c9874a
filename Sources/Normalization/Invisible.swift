/// Characters that render as nothing and are used to break words apart without a visible trace.
enum Invisible {
    /// Returns whether `scalar` is invisible: zero-width spaces and joiners, bidi controls, the soft
    /// hyphen, word joiners, the byte-order mark, variation selectors and tag characters.
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD,  // soft hyphen
            0x034F,  // combining grapheme joiner
            0x061C,  // Arabic letter mark
            0x115F, 0x1160,  // Hangul fillers
            0x17B4, 0x17B5,  // Khmer inherent vowels
            0x180B...0x180F,  // Mongolian free variation selectors and vowel separator
            0x200B...0x200F,  // zero-width space, ZWNJ, ZWJ, LRM, RLM
            0x202A...0x202E,  // bidi embeddings and overrides
            0x2060...0x2064,  // word joiner, invisible operators
            0x2066...0x206F,  // bidi isolates, deprecated format characters
            0x3164,  // Hangul filler
            0xFE00...0xFE0F,  // variation selectors
            0xFEFF,  // zero-width no-break space (BOM)
            0xFFA0,  // halfwidth Hangul filler
            0x1D173...0x1D17A,  // musical formatting
            0xE0000...0xE007F,  // tags
            0xE0100...0xE01EF:  // variation selectors supplement
            true
        default:
            false
        }
    }
}
