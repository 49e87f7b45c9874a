public import Moderation

/// Flags the shapes of spam that no word list sees: posts that are nothing but a link, floods of
/// mentions, hashtags or emoji, and one word said over and over.
///
/// Each shape is weak evidence on its own (every weight is under the 0.4 at which `spam` is reviewed), and
/// its own finding (its own rule id, span and weight), so a moderator sees which one fired;
/// together with `heuristic.shouting`, `heuristic.repetition`, `heuristic.link_density` and the `spam`
/// lexicon they make the post's spam score, the noisy-or of their weights (README, "The spam score").
public struct SpamShapeHeuristic: Heuristic {
    public let name = "spam.shape"
    public init() {}

    /// Mentions from which a post is a mention flood (tagging many accounts to be seen by them).
    static let mentionFlood = 5
    /// Hashtags from which a post is hashtag stuffing, when they are also half its words or more.
    static let hashtagStuffing = 6
    /// Emoji from which a post is an emoji flood, when there are at least as many as words.
    static let emojiFlood = 8
    /// Times one word must be said in a row.
    static let wordRepeats = 4

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let tokens = input.normalized.bytes.withUnsafeBufferPointer { TokenCounts(of: $0) }
        var signals: [Signal] = []
        let normalized = input.normalized
        func signal(_ rule: String, _ weight: Double, _ bytes: Range<Int>) {
            signals.append(
                Signal(rule: rule, category: "spam", weight: weight, span: normalized.originalRange(forBytes: bytes))
            )
        }
        if tokens.links + input.links.count >= 1, tokens.words <= 2 {
            // "check this 👉 bit.ly/x": a comment that is only somewhere else to go.
            signal("spam.link_only", 0.3, 0..<normalized.bytes.count)
        }
        if tokens.mentions.count >= Self.mentionFlood {
            // Tagging friends is common ("#FF @a @b @c…"): alone it stays under review, with a link or a pitch
            // it adds up.
            signal(
                "spam.mention_flood",
                tokens.mentions.count >= 2 * Self.mentionFlood ? 0.35 : 0.25,
                tokens.mentions.span
            )
        }
        if tokens.hashtags.count >= Self.hashtagStuffing, tokens.hashtags.count * 2 >= tokens.words {
            signal(
                "spam.hashtag_stuffing",
                tokens.hashtags.count >= 2 * Self.hashtagStuffing ? 0.5 : 0.3,
                tokens.hashtags.span
            )
        }
        if tokens.emoji.count >= Self.emojiFlood, tokens.emoji.count >= tokens.words {
            signal("spam.emoji_flood", 0.25, tokens.emoji.span)
        }
        if tokens.longestRepeat.count >= Self.wordRepeats {
            signal("spam.repeated_words", 0.2, tokens.longestRepeat.span)
        }
        return signals
    }
}

/// What the spam shapes count in normalized text, in one pass: whitespace-separated tokens sorted into
/// links, mentions, hashtags and words, emoji, and the longest run of one word.
struct TokenCounts {
    /// A count and the byte span from the first counted thing to the last.
    struct Tally {
        var count = 0
        var span: Range<Int> = 0..<0

        mutating func add(_ range: Range<Int>) {
            span = count == 0 ? range : span.lowerBound..<range.upperBound
            count += 1
        }
    }

    /// Tokens with a letter or digit that are not links, mentions or hashtags.
    var words = 0
    var links = 0
    var mentions = Tally()
    var hashtags = Tally()
    var emoji = Tally()
    /// The longest run of one word repeated (`buy buy buy buy`): `count` is its length.
    var longestRepeat = Tally()

    init(of bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var run = Tally()
        var previousWord: UInt64 = 0
        let count = bytes.count
        while start < count {
            while start < count, Self.isSpace(bytes[start]) { start += 1 }
            guard start < count else { break }
            var end = start
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            var alphanumerics = 0
            var hasScheme = false
            var hasDot = false
            var hasSlash = false
            while end < count, !Self.isSpace(bytes[end]) {
                let byte = bytes[end]
                if (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 {
                    alphanumerics += 1
                    hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3
                } else if byte == 0x3A, end + 2 < count, bytes[end + 1] == 0x2F, bytes[end + 2] == 0x2F {
                    hasScheme = true
                } else if byte == 0x2E {
                    hasDot = true
                } else if byte == 0x2F {
                    hasSlash = true
                } else if byte == 0xF0, end + 1 < count, bytes[end + 1] == 0x9F {
                    emoji.add(end..<min(count, end + 4))  // U+1F000…U+1FFFF: pictographs and faces
                } else if byte == 0xE2, end + 1 < count, bytes[end + 1] &- 0x98 < 7 {
                    emoji.add(end..<min(count, end + 3))  // U+2600…U+27BF: symbols and dingbats
                }
                end += 1
            }
            let token = start..<end
            let first = bytes[start]
            if hasScheme || (hasDot && hasSlash) || Self.startsWithWWW(bytes, at: start, end: end) {
                links += 1
            } else if first == 0x40, alphanumerics > 0 {
                mentions.add(token)
            } else if first == 0x23, alphanumerics > 0 {
                hashtags.add(token)
            } else if alphanumerics > 0 {
                words += 1
                if alphanumerics >= 2, run.count > 0, hash == previousWord {
                    run.add(token)
                } else {
                    run = Tally()
                    run.add(token)
                }
                previousWord = hash
                if run.count > longestRepeat.count { longestRepeat = run }
            }
            start = end
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte &- 0x09 < 5  // space, tab, newline, vertical tab, form feed, return
    }

    private static func startsWithWWW(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Bool {
        end - start > 4 && bytes[start] == 0x77 && bytes[start + 1] == 0x77 && bytes[start + 2] == 0x77
            && bytes[start + 3] == 0x2E
    }
}
