internal import Foundation
public import Moderation

/// Builds the text the matchers see, with a map back to the original code points. The steps, in order:
/// invisible characters removed, NFKC, case folding, NFKC again, and confusable folding (Unicode UTS #39:
/// a character that looks like a Latin letter or digit becomes it, so Cyrillic `саshарр` reads `cashapp`).
/// Leetspeak, separators and repeated letters are read by the term matcher, only where they spell a term.
///
/// Text that is all ASCII takes a fast path: lowercasing byte by byte, with an identity map. Other text is
/// folded one grapheme cluster at a time, so each normalized byte maps to the cluster it came from, and
/// folded clusters are cached per worker in `NormalizationScratch`.
public struct Normalizer: Sendable {
    public init() {}

    /// Normalizes `text`, reusing the worker's cache of folded clusters.
    public func normalize(_ text: String, using scratch: inout NormalizationScratch) -> NormalizedText {
        var text = text
        var letters = 0
        var uppercase = 0
        if let ascii = text.withUTF8({ Self.lowercasedIfASCII($0, letters: &letters, uppercase: &uppercase) }) {
            var normalized = NormalizedText(identity: ascii)
            normalized.asciiLetters = letters
            normalized.asciiUppercase = uppercase
            return normalized
        }
        return normalizeUnicode(text, using: &scratch)
    }

    /// Normalizes `text` with a cache of its own; for tools and tests.
    public func normalize(_ text: String) -> NormalizedText {
        var scratch = NormalizationScratch()
        return normalize(text, using: &scratch)
    }

    /// Lowercases ASCII bytes, counting letters and capitals on the way (heuristics need them), or returns
    /// `nil` as soon as a non-ASCII byte shows up.
    static func lowercasedIfASCII(
        _ utf8: UnsafeBufferPointer<UInt8>,
        letters: inout Int,
        uppercase: inout Int
    )
        -> [UInt8]?
    {
        var isASCII = true
        var letterCount = 0
        var upperCount = 0
        let lowered = [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
            for (index, byte) in utf8.enumerated() {
                if byte >= 0x80 {
                    isASCII = false
                    break
                }
                // 'A'...'Z' → 'a'...'z' by setting bit 5.
                let isUpper = byte &- 0x41 < 26
                upperCount &+= isUpper ? 1 : 0
                letterCount &+= (byte | 0x20) &- 0x61 < 26 ? 1 : 0
                buffer[index] = isUpper ? byte | 0x20 : byte
            }
            count = isASCII ? utf8.count : 0
        }
        letters = letterCount
        uppercase = upperCount
        return isASCII ? lowered : nil
    }

    private func normalizeUnicode(_ text: String, using scratch: inout NormalizationScratch) -> NormalizedText {
        let utf8Count = text.utf8.count
        var bytes: [UInt8] = []
        var originStart: [Int32] = []
        var originEnd: [Int32] = []
        bytes.reserveCapacity(utf8Count)
        originStart.reserveCapacity(utf8Count)
        originEnd.reserveCapacity(utf8Count)
        var evasion = EvasionCounts()
        var scalarOffset: Int32 = 0
        var previousWasLetter = false
        var previousCharacter: Character?
        var scripts = WordScripts()
        var letters = 0
        var uppercase = 0
        var index: String.Index
        var offset = 0
        let utf8 = Array(text.utf8)
        while offset < utf8Count {
            let byte = utf8[offset]
            // An ASCII byte followed by another ASCII byte is a grapheme cluster of its own: no need to ask
            // the grapheme breaker, which is what makes mostly-ASCII text with a few emoji cheap.
            if byte < 0x80, offset + 1 == utf8Count || utf8[offset + 1] < 0x80 {
                if (byte | 0x20) &- 0x61 < 26 {
                    letters += 1
                    if byte &- 0x41 < 26 { uppercase += 1 }
                }
                bytes.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
                originStart.append(scalarOffset)
                originEnd.append(scalarOffset + 1)
                scalarOffset += 1
                previousWasLetter = Self.isASCIIAlphanumeric(byte)
                if (byte | 0x20) &- 0x61 < 26 {
                    scripts.add(.latin, at: Int(scalarOffset - 1))
                } else if !previousWasLetter {
                    scripts.close(at: Int(scalarOffset - 1), into: &evasion)
                }
                previousCharacter = nil
                offset += 1
                continue
            }
            index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
            let character = text[index...].first!  // offset < utf8Count, so a character starts here
            let clusterBytes = character.utf8.count
            let scalarCount = Int32(character.unicodeScalars.count)
            let start = scalarOffset
            scalarOffset += scalarCount
            offset += clusterBytes
            let folded = scratch.folded(character, utf8: utf8[(offset - clusterBytes)..<offset])
            if folded.isEmpty {
                // An invisible character: it leaves no bytes, but counts when it sits inside a word.
                if let previous = previousCharacter { previousWasLetter = previous.isLetter || previous.isNumber }
                if previousWasLetter {
                    evasion.invisibleInsideWords += 1
                    evasion.invisibleSpans.append(Int(start)..<Int(scalarOffset))
                }
                previousCharacter = nil
                continue
            }
            let script = Script.of(character.unicodeScalars.first!)  // a character has at least one scalar
            // A joiner or variation selector glued to a letter (`cash\u{200D}app`) joins its cluster, so it
            // is caught here rather than as an invisible cluster of its own; after an emoji it is ordinary.
            if scalarCount > 1, script != .other,
                character.unicodeScalars.dropFirst().contains(where: Invisible.contains)
            {
                evasion.invisibleInsideWords += 1
                evasion.invisibleSpans.append(Int(start) + 1..<Int(scalarOffset))
            }
            if script == .other {
                scripts.close(at: Int(start), into: &evasion)
            } else {
                scripts.add(script, at: Int(start))
                if script != .latin, folded.allSatisfy({ $0 < 0x80 }) { evasion.confusablesFolded += 1 }
            }
            bytes.append(contentsOf: folded)
            for _ in folded {
                originStart.append(start)
                originEnd.append(start + scalarCount)
            }
            // Whether it is a letter is only needed before an invisible character: decided lazily there.
            previousCharacter = character
        }
        scripts.close(at: Int(scalarOffset), into: &evasion)
        var normalized = NormalizedText(
            bytes: bytes,
            originStart: originStart,
            originEnd: originEnd,
            originalLength: Int(scalarOffset),
            evasion: evasion
        )
        normalized.asciiLetters = letters
        normalized.asciiUppercase = uppercase
        return normalized
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10
    }

    /// Folds one grapheme cluster: invisible scalars dropped, then NFKC, case folding and NFKC again, so
    /// that the result is stable (NFKC_Casefold in spirit).
    static func fold(_ character: Character) -> [UInt8] {
        var visible = String.UnicodeScalarView()
        for scalar in character.unicodeScalars where !Invisible.contains(scalar) {
            visible.append(scalar)
        }
        if visible.isEmpty { return [] }
        let folded = String(visible)
            .precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
        var result: [UInt8] = []
        for scalar in folded.unicodeScalars {
            if scalar.value >= 0x80, let prototype = Confusables.prototype(of: scalar) {
                result.append(prototype)
            } else {
                result.append(contentsOf: String(scalar).utf8)
            }
        }
        return result
    }
}

/// A worker's cache of folded grapheme clusters, reused across posts.
///
/// Foundation's normalization costs microseconds a call, and the clusters of a language repeat, so a
/// small per-worker cache removes most of that cost without locks.
public struct NormalizationScratch: Sendable {
    /// Folded clusters of up to seven bytes, keyed by their bytes packed into an integer (hashing an
    /// integer is far cheaper than hashing a `Character`, which normalizes it first).
    private var small: [UInt64: [UInt8]] = [:]
    private var large: [[UInt8]: [UInt8]] = [:]
    private static let maxEntries = 16_384

    public init() {}

    mutating func folded(_ character: Character, utf8: ArraySlice<UInt8>) -> [UInt8] {
        if utf8.count <= 7 {
            var key = UInt64(utf8.count) << 56
            for (shift, byte) in utf8.enumerated() { key |= UInt64(byte) << (shift * 8) }
            if let hit = small[key] { return hit }
            let folded = Normalizer.fold(character)
            if small.count >= Self.maxEntries { small.removeAll(keepingCapacity: true) }
            small[key] = folded
            return folded
        }
        let key = Array(utf8)
        if let hit = large[key] { return hit }
        let folded = Normalizer.fold(character)
        if large.count >= Self.maxEntries { large.removeAll(keepingCapacity: true) }
        large[key] = folded
        return folded
    }
}
