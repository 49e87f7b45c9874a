/// The text the matchers see, with a map back to the original.
///
/// Normalization changes lengths (`ﬁ` becomes `fi`, zero-width characters vanish), so every byte of the
/// normalized text remembers which code points of the original it came from. A match over bytes `a..<b`
/// maps back to the original code points `originalRange(forBytes: a..<b)`.
public struct NormalizedText: Sendable {
    /// The normalized text as UTF-8: NFKC, case-folded, and so on.
    public var bytes: [UInt8]
    /// For each byte of `bytes`, the first original code point it came from. Empty when `isIdentity`.
    public var originStart: [Int32]
    /// For each byte of `bytes`, one past the last original code point it came from. Empty when `isIdentity`.
    public var originEnd: [Int32]
    /// Whether byte `i` is original code point `i` (the ASCII fast path), so no map is stored.
    public var isIdentity: Bool
    /// How many code points the original text has.
    public var originalLength: Int
    /// Evidence of disguise seen while normalizing, for evasion signals.
    public var evasion: EvasionCounts
    /// ASCII letters in the original text, counted while normalizing.
    public var asciiLetters = 0
    /// Upper-case ASCII letters in the original text, counted while normalizing.
    public var asciiUppercase = 0

    /// Makes normalized text whose bytes map one to one onto the original's code points.
    public init(identity bytes: [UInt8]) {
        self.bytes = bytes
        self.originStart = []
        self.originEnd = []
        self.isIdentity = true
        self.originalLength = bytes.count
        self.evasion = EvasionCounts()
    }

    /// Makes normalized text with an explicit map; `originStart` and `originEnd` have one entry per byte.
    public init(bytes: [UInt8], originStart: [Int32], originEnd: [Int32], originalLength: Int, evasion: EvasionCounts) {
        precondition(bytes.count == originStart.count && bytes.count == originEnd.count, "one origin per byte")
        self.bytes = bytes
        self.originStart = originStart
        self.originEnd = originEnd
        self.isIdentity = false
        self.originalLength = originalLength
        self.evasion = evasion
    }

    /// Returns the original code point range that normalized bytes `range` came from.
    public func originalRange(forBytes range: Range<Int>) -> Range<Int> {
        if isIdentity { return range }
        guard !range.isEmpty else {
            let at = range.lowerBound < originStart.count ? Int(originStart[range.lowerBound]) : originalLength
            return at..<at
        }
        return Int(originStart[range.lowerBound])..<Int(originEnd[range.upperBound - 1])
    }
}

/// Disguise found while normalizing: the raw material for `evasion` findings.
public struct EvasionCounts: Sendable, Hashable {
    /// Invisible characters (zero-width, bidi controls, soft hyphens) removed from inside words.
    public var invisibleInsideWords: Int = 0
    /// Original code point spans of those invisible characters.
    public var invisibleSpans: [Range<Int>] = []
    /// Characters folded from another script because they look like a Latin letter or digit.
    public var confusablesFolded: Int = 0
    /// Original code point spans of words that mix letters of Latin, Cyrillic, Greek, Armenian or Cherokee.
    public var mixedScriptWords: [Range<Int>] = []

    public init() {}
}
