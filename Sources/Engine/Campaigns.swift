internal import Moderation
internal import Synchronization

/// A MinHash signature of a text's word shingles: near-identical texts share most of their values.
///
/// Each of the `size` values is the smallest hash of the text's shingles (pairs of adjacent words) that
/// falls in its bin; the share of equal values between two signatures estimates the Jaccard similarity of
/// their shingle sets, which survives a changed handle or an added word in a short post far better than a
/// SimHash does.
struct MinHashSignature: Sendable, Hashable {
    static let size = 16
    /// Texts with fewer words than this are too short to call copies of each other ("thank you so much!").
    static let minimumWords = 8

    /// The values in vector registers: comparing two signatures is one vector compare.
    var values: SIMD16<UInt32>
    /// The index keys of the signature's bands, computed with it (on a worker, not in the serial pass).
    var bandKeys: SIMD8<UInt64>

    /// The signature of normalized text, or `nil` when it is too short to compare.
    init?(of text: [UInt8]) {
        // Each word is hashed once (FNV-1a) and each shingle's hash mixes its two words' hashes, in one pass
        // with no allocation.
        var wordCount = 0
        var previousWord: UInt64 = 0
        var word: UInt64 = 0
        var inWord = false
        var values = SIMD16<UInt32>(repeating: .max)
        var filled: UInt16 = 0
        func endWord() {
            if wordCount > 0 {
                var hash = previousWord &* 0x9E37_79B9_7F4A_7C15 ^ word
                hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
                hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
                hash ^= hash >> 31
                let bin = Int(hash >> 60)  // the top 4 bits: one of 16 bins
                let value = UInt32(truncatingIfNeeded: hash)
                if value < values[bin] { values[bin] = value }
                filled |= 1 << bin
            }
            previousWord = word
            wordCount += 1
        }
        for byte in text {
            let isWord = (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte >= 0x80
            if isWord {
                if !inWord { (word, inWord) = (0xCBF2_9CE4_8422_2325, true) }
                word = (word ^ UInt64(byte)) &* 0x0100_0000_01B3
            } else if inWord {
                endWord()
                inWord = false
            }
        }
        if inWord { endWord() }
        guard wordCount >= Self.minimumWords else { return nil }
        // One-permutation hashing: each shingle's hash picks a bin by its top bits and competes for that
        // bin's minimum. One hash per shingle instead of one per slot; empty bins borrow from the next
        // filled one (rotation densification, Shrivastava 2017), so short texts still fill every slot.
        for bin in 0..<Self.size where filled & (1 << bin) == 0 {
            var source = (bin + 1) % Self.size
            var distance = 1
            while filled & (1 << source) == 0 {
                source = (source + 1) % Self.size
                distance += 1
            }
            values[bin] = values[source] &+ UInt32(distance) &* 0x9E37_79B9
        }
        self.values = values
        let rows = Self.size / CampaignTracker.bands
        var keys = SIMD8<UInt64>()
        for band in 0..<CampaignTracker.bands {
            var key = UInt64(band) << 56
            for row in 0..<rows { key = (key &* 0x0100_0000_01B3) ^ UInt64(values[band * rows + row]) }
            keys[band] = key
        }
        bandKeys = keys
    }

    /// How many values the two signatures share (0 to `size`).
    func equalValues(with other: SIMD16<UInt32>) -> Int {
        var ones = SIMD16<UInt32>(repeating: 0)
        ones.replace(with: 1, where: values .== other)
        return Int(ones.wrappedSum())
    }

    /// The share of equal values: an estimate of the two texts' shingle Jaccard similarity.
    func similarity(to other: MinHashSignature) -> Double {
        Double(equalValues(with: other.values)) / Double(Self.size)
    }
}

/// Groups near-identical posts seen in a bounded window of recent posts.
///
/// Signatures are cut into 8 bands of 2 values; each band key hashes to a bucket of a fixed table that
/// remembers the newest few posts whose band fell there. Two posts that share a bucket are compared, and
/// join when their estimated similarity is at least `minimumSimilarity`. Posts are taken in input order, so a
/// post's campaign depends only on the posts before it: the same input gives the same groups whatever the
/// batching or the number of workers.
///
/// Everything is kept in flat arrays allocated once: this pass is serial, so it must cost a few hundred
/// nanoseconds a post, with no hashing of strings and no allocation for the common post that joins nothing.
final class CampaignTracker: Sendable {
    /// How many recent posts are remembered.
    let windowSize: Int
    static let minimumSimilarity = 0.5
    static let bands = 8
    /// Posts remembered per bucket, newest first: a flood of copies must not make each new one cost more.
    static let bucketDepth = 4
    /// Buckets in the table (a power of two): about three per band of every post in the window, so that
    /// unrelated posts rarely share one.
    static let bucketCount = 1 << 16
    /// Bits of a bucket reference that hold the band key's tag; the other 44 hold the serial.
    static let tagBits: UInt64 = 20

    /// A group of near-identical posts while any of them is in the window.
    private struct Group {
        /// The campaign id: the founder's first signature value and the group number.
        let id: String
        var size = 0
        var live = 0
        /// Distinct authors, by hash; counting stops at a thousand (the group is a flood either way).
        var authors: Set<UInt64> = []

        init(founder: UInt32, number: Int32, author: UInt64) {
            id = "c_" + String(founder, radix: 16) + "_" + String(number)
            size = 1
            live = 1
            authors = [author]
        }

        /// Counts a new member by `author` and returns the campaign as it now stands.
        mutating func join(by author: UInt64) -> CampaignInfo {
            size += 1
            live += 1
            if authors.count < 1_000 { authors.insert(author) }
            return CampaignInfo(id: id, size: size, authors: authors.count)
        }
    }

    private struct State {
        /// The window's signatures, by slot.
        var signatures: [SIMD16<UInt32>]
        /// Each window slot's group, or -1 while its post matched nothing.
        var groupOf: [Int32]
        /// Each window slot's author hash, counted when a later post joins it.
        var authorOf: [UInt64]
        /// `bucketDepth` references per bucket, each a post serial shifted left by `tagBits` over a tag of the
        /// band key (so a post whose band merely hashed to the same bucket is passed over without loading
        /// its signature). A post's window slot is its serial modulo the window size, and it is live while
        /// fewer than `windowSize` posts came after it.
        var buckets: [UInt64]
        var groups: [Int32: Group] = [:]
        var nextGroup: Int32 = 0
        /// The serial the next post gets. It starts past the window, so the table's zeros read as dead.
        var serial: UInt64
        /// Bits of prefetched words, kept so the loads that warm the cache are not optimized away.
        var touched: UInt64 = 0
    }

    private let state: Mutex<State>

    init(windowSize: Int = 20_000) {
        self.windowSize = windowSize
        let references = Self.bucketCount * Self.bucketDepth
        state = Mutex(
            State(
                signatures: [SIMD16<UInt32>](repeating: SIMD16(), count: windowSize),
                groupOf: [Int32](repeating: -1, count: windowSize),
                authorOf: [UInt64](repeating: 0, count: windowSize),
                buckets: [UInt64](repeating: 0, count: references),
                serial: UInt64(windowSize) + 1
            )
        )
    }

    /// Records a post and returns its campaign so far, when the window holds a near-identical post.
    func assign(_ signature: MinHashSignature, author: UInt64) -> CampaignInfo? {
        let size = MinHashSignature.size
        let depth = Self.bucketDepth
        let window = UInt64(windowSize)
        return state.withLock { state in
            // The most similar live post in the buckets this post's bands fall in.
            var match = -1
            var best = Int((Self.minimumSimilarity * Double(size)).rounded(.up))
            // Find the eight buckets and load a word of each before looking inside any: the loads are
            // independent, so their cache misses overlap instead of queueing behind each comparison.
            var buckets = InlineArray<8, Int>(repeating: 0)
            var tags = InlineArray<8, UInt64>(repeating: 0)
            var touched: UInt64 = 0
            for band in 0..<Self.bands {
                let (bucket, tag) = Self.bucketAndTag(of: signature.bandKeys[band])
                (buckets[band], tags[band]) = (bucket, tag)
                touched |= state.buckets[bucket * depth]
            }
            state.touched = touched
            // The live posts whose band tag matches, each once (a near copy shares several bands), with a
            // word of each signature loaded for the same reason.
            var candidates = InlineArray<32, Int32>(repeating: -1)
            var candidateCount = 0
            for band in 0..<Self.bands {
                let (bucket, tag) = (buckets[band], tags[band])
                for offset in 0..<depth {
                    let reference = state.buckets[bucket * depth + offset]
                    let serial = reference >> Self.tagBits
                    let age = state.serial &- serial
                    guard reference & Self.tagMask == tag, age >= 1, age <= window else { continue }
                    let slot = Int32(truncatingIfNeeded: serial % window)
                    if (0..<candidateCount).contains(where: { candidates[$0] == slot }) { continue }
                    candidates[candidateCount] = slot
                    candidateCount += 1
                    touched |= UInt64(state.signatures[Int(slot)][0])
                }
            }
            state.touched = touched
            search: for index in 0..<candidateCount {
                let slot = Int(candidates[index])
                let equal = signature.equalValues(with: state.signatures[slot])
                if equal >= best {
                    (match, best) = (slot, equal)
                    if equal * 10 >= size * 9 { break search }  // a copy: no need to look further
                }
            }
            var group: Int32 = -1
            var campaign: CampaignInfo?
            if match >= 0 {
                group = state.groupOf[match]
                if group < 0 {
                    // The matched post founds the group now that it has a second member.
                    group = state.nextGroup
                    state.nextGroup = state.nextGroup == .max ? 0 : state.nextGroup + 1
                    state.groups[group] = Group(
                        founder: state.signatures[match][0],
                        number: group,
                        author: state.authorOf[match]
                    )
                    state.groupOf[match] = group
                }
                campaign = state.groups[group]?.join(by: author)
            }
            // Forget the oldest post (its bucket references go stale), then remember this one.
            let slot = Int(state.serial % window)
            // A post older than the window is forgotten: its slot is taken over, its references age out.
            let old = state.groupOf[slot]
            if old >= 0 {
                // A group is forgotten once none of its posts is in the window: memory stays bounded.
                state.groups[old]?.live -= 1
                if state.groups[old]?.live == 0 { state.groups[old] = nil }
            }
            state.signatures[slot] = signature.values
            state.groupOf[slot] = group
            state.authorOf[slot] = author
            for band in 0..<Self.bands {
                // The oldest reference of the bucket (or a dead one) gives way to this post.
                let (bucket, tag) = Self.bucketAndTag(of: signature.bandKeys[band])
                let first = bucket * depth
                var oldest = first
                for position in first..<(first + depth)
                where state.buckets[position] >> Self.tagBits < state.buckets[oldest] >> Self.tagBits {
                    oldest = position
                }
                state.buckets[oldest] = state.serial << Self.tagBits | tag
            }
            state.serial &+= 1
            return campaign
        }
    }

    private static let tagMask: UInt64 = (1 << tagBits) - 1

    /// The bucket a band key falls in (the top bits of a multiplicative hash, Fibonacci hashing) and its tag
    /// (the low bits).
    private static func bucketAndTag(of key: UInt64) -> (bucket: Int, tag: UInt64) {
        let mixed = key &* 0x9E37_79B9_7F4A_7C15
        return (Int(truncatingIfNeeded: mixed >> UInt64(64 - bucketCount.trailingZeroBitCount)), mixed & tagMask)
    }

    /// A stable 64-bit hash of an author id (FNV-1a), so the serial pass compares integers, not strings.
    static func authorHash(_ author: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in author.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        return hash
    }
}
