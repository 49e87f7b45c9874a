internal import Foundation
public import Moderation

/// Builds the text the matchers see: NFKC, case folding and invisible-character removal, with a map back
/// to the original code points.
///
/// Text that is all ASCII takes a fast path: lowercasing byte by byte, with an identity map. Other text is
/// folded one grapheme cluster at a time, so each normalized byte maps to the cluster it came from, and
/// folded clusters are cached per worker in `NormalizationScratch`.
public struct Normalizer: Sendable {
    public init() {}

    /// Normalizes `text`, reusing the worker's cache of folded clusters.
    public func normalize(_ text: String, using scratch: inout NormalizationScratch) -> NormalizedText {
        var text = text
        if let ascii = text.withUTF8({ Self.lowercasedIfASCII($0) }) {
            return NormalizedText(identity: ascii)
        }
        return normalizeUnicode(text, using: &scratch)
    }

    /// Normalizes `text` with a cache of its own; for tools and tests.
    public func normalize(_ text: String) -> NormalizedText {
        var scratch = NormalizationScratch()
        return normalize(text, using: &scratch)
    }

    /// Lowercases ASCII bytes, or returns `nil` as soon as a non-ASCII byte shows up.
    static func lowercasedIfASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var isASCII = true
        let lowered = [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
            for (index, byte) in utf8.enumerated() {
                if byte >= 0x80 {
                    isASCII = false
                    break
                }
                // 'A'...'Z' → 'a'...'z' by setting bit 5.
                buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
            count = isASCII ? utf8.count : 0
        }
        return isASCII ? lowered : nil
    }

    private func normalizeUnicode(_ text: String, using scratch: inout NormalizationScratch) -> NormalizedText {
        var bytes: [UInt8] = []
        var originStart: [Int32] = []
        var originEnd: [Int32] = []
        bytes.reserveCapacity(text.utf8.count)
        originStart.reserveCapacity(text.utf8.count)
        originEnd.reserveCapacity(text.utf8.count)
        var evasion = EvasionCounts()
        var scalarOffset: Int32 = 0
        var previousWasLetter = false
        for character in text {
            let scalarCount = Int32(character.unicodeScalars.count)
            let start = scalarOffset
            scalarOffset += scalarCount
            if character.utf8.count == 1, let byte = character.utf8.first {
                bytes.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
                originStart.append(start)
                originEnd.append(start + scalarCount)
                previousWasLetter = Self.isASCIIAlphanumeric(byte)
                continue
            }
            let folded = scratch.folded(character)
            if folded.isEmpty {
                // An invisible character: it leaves no bytes, but counts when it sits inside a word.
                if previousWasLetter { evasion.invisibleInsideWords += 1 }
                continue
            }
            bytes.append(contentsOf: folded)
            for _ in folded {
                originStart.append(start)
                originEnd.append(start + scalarCount)
            }
            previousWasLetter = character.isLetter || character.isNumber
        }
        return NormalizedText(
            bytes: bytes,
            originStart: originStart,
            originEnd: originEnd,
            originalLength: Int(scalarOffset),
            evasion: evasion
        )
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
        return Array(folded.utf8)
    }
}

/// A worker's cache of folded grapheme clusters, reused across posts.
///
/// Foundation's normalization costs microseconds a call, and the clusters of a language repeat, so a
/// small per-worker cache removes most of that cost without locks.
public struct NormalizationScratch {
    private var cache: [Character: [UInt8]] = [:]
    private static let maxEntries = 16_384

    public init() {}

    mutating func folded(_ character: Character) -> [UInt8] {
        if let hit = cache[character] { return hit }
        let folded = Normalizer.fold(character)
        if cache.count >= Self.maxEntries { cache.removeAll(keepingCapacity: true) }
        cache[character] = folded
        return folded
    }
}
