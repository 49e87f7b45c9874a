internal import CShims
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

    /// The low 16 bits of each value: what the campaign window keeps and compares (b-bit minwise hashing,
    /// Li and König 2010). Two unrelated values agree by chance once in 65,536, far too rarely to move an
    /// estimate, and a window of 16-bit signatures is half the memory the serial pass walks.
    var values: SIMD16<UInt16>
    /// The first value whole: a campaign founded by this post is named after it.
    var first: UInt32
    /// Where each band of the signature falls in the campaign index: a bucket number over a tag of the band
    /// key (`CampaignTracker.bandReference`), computed with the signature on a worker, not in the serial pass.
    var bands: SIMD8<UInt32>

    /// The signature of normalized text, or `nil` when it is too short to compare.
    init?(of text: [UInt8]) {
        // Each word is hashed once (FNV-1a) and each shingle's hash mixes its two words' hashes, in one pass
        // with no allocation. The minima live in an `InlineArray`, not a SIMD vector: a vector indexed by a
        // run-time bin is stored to the stack and loaded back for every shingle.
        var minima = InlineArray<16, UInt32>(repeating: .max)
        var filled: UInt32 = 0
        var wordCount = 0
        var previousWord: UInt64 = 0
        var word: UInt64 = 0
        var inWord = false
        text.withUnsafeBufferPointer { bytes in
            for byte in bytes {
                let isWord = (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte >= 0x80
                if isWord {
                    if !inWord { (word, inWord) = (0xCBF2_9CE4_8422_2325, true) }
                    word = (word ^ UInt64(byte)) &* 0x0100_0000_01B3
                    continue
                }
                guard inWord else { continue }
                inWord = false
                if wordCount > 0 { Self.add(shingle: previousWord, word, to: &minima, filled: &filled) }
                previousWord = word
                wordCount += 1
            }
        }
        if inWord {
            if wordCount > 0 { Self.add(shingle: previousWord, word, to: &minima, filled: &filled) }
            wordCount += 1
        }
        guard wordCount >= Self.minimumWords else { return nil }
        // One-permutation hashing: each shingle's hash picks a bin by its top bits and competes for that
        // bin's minimum. One hash per shingle instead of one per slot; empty bins borrow from the next
        // filled one (rotation densification, Shrivastava 2017), so short texts still fill every slot.
        for bin in 0..<Self.size where filled & (1 << bin) == 0 {
            var source = (bin + 1) % Self.size
            var distance: UInt32 = 1
            while filled & (1 << source) == 0 {
                source = (source + 1) % Self.size
                distance += 1
            }
            minima[bin] = minima[source] &+ distance &* 0x9E37_79B9
        }
        var values = SIMD16<UInt16>()
        for bin in 0..<Self.size { values[bin] = UInt16(truncatingIfNeeded: minima[bin]) }
        self.values = values
        first = minima[0]
        let rows = Self.size / CampaignTracker.bands
        var bands = SIMD8<UInt32>()
        for band in 0..<CampaignTracker.bands {
            var key = UInt64(band) << 56
            for row in 0..<rows { key = (key &* 0x0100_0000_01B3) ^ UInt64(minima[band * rows + row]) }
            bands[band] = CampaignTracker.bandReference(of: key)
        }
        self.bands = bands
    }

    /// Mixes the hashes of a shingle's two words and lets the result compete for its bin's minimum.
    @inline(__always)
    private static func add(
        shingle previousWord: UInt64,
        _ word: UInt64,
        to minima: inout InlineArray<16, UInt32>,
        filled: inout UInt32
    ) {
        var hash = previousWord &* 0x9E37_79B9_7F4A_7C15 ^ word
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        let bin = Int(truncatingIfNeeded: hash >> 60)  // the top 4 bits: one of 16 bins
        minima[bin] = min(minima[bin], UInt32(truncatingIfNeeded: hash))
        filled |= 1 << bin
    }

    /// How many values the two signatures share (0 to `size`).
    @inline(__always)
    func equalValues(with other: SIMD16<UInt16>) -> Int {
        var ones = SIMD16<UInt16>(repeating: 0)
        ones.replace(with: 1, where: values .== other)
        // The sixteen 0-or-1 lanes summed as four words of four lanes each, then the lanes of their sum added
        // by one multiplication into the top lane: no loop over lanes.
        let words = unsafeBitCast(ones, to: SIMD4<UInt64>.self)
        let lanes = words[0] &+ words[1] &+ words[2] &+ words[3]
        return Int(truncatingIfNeeded: (lanes &* 0x0001_0001_0001_0001) >> 48)
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
/// This pass is serial, so it must cost a few hundred nanoseconds a post. Its time goes to cache misses, so
/// everything it touches is small and flat, allocated once: 32-bit table entries (1 MiB), 16-bit signature
/// values (640 KiB for the window), a pool of groups reused by index; no hashing of strings and no allocation
/// for the common post that joins nothing.
final class CampaignTracker: Sendable {
    /// How many recent posts are remembered.
    let windowSize: Int
    static let minimumSimilarity = 0.5
    static let bands = 8
    /// Posts remembered per bucket, newest first: a flood of copies must not make each new one cost more.
    static let bucketDepth = 4
    /// Buckets in the table, as a power of two: about three entries per band of every post in the window, so
    /// that unrelated posts rarely share one.
    static let bucketBits = 16
    /// Bits of a band's tag, kept in each entry so that a post whose band merely hashed to the same bucket is
    /// passed over without loading its signature.
    static let tagBits = 15
    /// Bits of the serial an entry keeps: enough to tell the age of any post of a window shorter than 2^17.
    /// An entry older than that reads as younger than it is; it then names a live post by mistake, which
    /// costs a comparison and nothing else, since only similar signatures join.
    static let serialBits = 17

    init(windowSize: Int = 20_000) {
        precondition(windowSize > 0 && windowSize < 1 << Self.serialBits, "campaign window out of range")
        self.windowSize = windowSize
        state = Mutex(State(windowSize: windowSize))
    }

    /// Records `count` posts in order and calls `joined` with the index and campaign of each post that joins
    /// one: a post joins the campaign of the most similar near-identical post in the window.
    ///
    /// The pass waits on memory: each post reads eight random buckets, then the signatures they name. So
    /// while one post is assigned, the buckets of the post `lookahead` places on are prefetched, and the
    /// signatures named by the buckets of the post half as far on (prefetched earlier): several posts'
    /// cache misses are then in flight at once instead of one post's at a time.
    func assign(
        _ count: Int,
        signature: (Int) -> MinHashSignature,
        author: (Int) -> UInt64,
        joined: (Int, CampaignInfo) -> Void
    ) {
        let lookahead = 8
        state.withLock { state in
            for index in 0..<count {
                if index + lookahead < count { state.prefetchBuckets(of: signature(index + lookahead)) }
                if index + lookahead / 2 < count { state.prefetchCandidates(of: signature(index + lookahead / 2)) }
                if let campaign = state.assign(signature(index), author: author(index)) { joined(index, campaign) }
            }
        }
    }

    /// The bucket a band key falls in (the top bits of a multiplicative hash, Fibonacci hashing) over its tag
    /// (the low bits), in one word.
    static func bandReference(of key: UInt64) -> UInt32 {
        let mixed = key &* 0x9E37_79B9_7F4A_7C15
        let bucket = UInt32(truncatingIfNeeded: mixed >> UInt64(64 - bucketBits))
        return bucket << UInt32(tagBits) | UInt32(truncatingIfNeeded: mixed) & tagMask
    }

    fileprivate static let tagMask: UInt32 = (1 << tagBits) - 1

    /// A stable 64-bit hash of an author id (FNV-1a), so the serial pass compares integers, not strings.
    static func authorHash(_ author: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in author.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        return hash
    }

    private let state: Mutex<State>
}

/// A group of near-identical posts while any of them is in the window.
private struct CampaignGroup {
    /// The campaign id: the founder's first signature value and the group number.
    let id: String
    var size = 1
    var live = 1
    /// Distinct authors, by hash; counting stops at a thousand (the group is a flood either way).
    var authors: Set<UInt64>

    init(founder: UInt32, number: Int32, author: UInt64) {
        id = "c_" + String(founder, radix: 16) + "_" + String(number)
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

extension CampaignTracker {
    /// The window and its index. A post's window slot is its serial modulo the window size; it is live while
    /// fewer than `windowSize` posts came after it.
    fileprivate struct State: ~Copyable {
        let window: UInt64
        /// The window's signatures, by slot.
        let signatures: UnsafeMutableBufferPointer<SIMD16<UInt16>>
        /// Each slot's first signature value whole, to name the campaign it founds.
        let firstValues: UnsafeMutableBufferPointer<UInt32>
        /// Each slot's group in `groups`, or -1 while its post matched nothing.
        let groupOf: UnsafeMutableBufferPointer<Int32>
        /// Each slot's author hash, counted when a later post joins it.
        let authorOf: UnsafeMutableBufferPointer<UInt64>
        /// `bucketDepth` entries per bucket, each a post's serial (its low `serialBits`) over the tag of the
        /// band that put it there.
        let entries: UnsafeMutableBufferPointer<UInt32>
        /// Groups with a post in the window, by index; the indices of forgotten ones are reused.
        var groups: [CampaignGroup?] = []
        var freeGroups: [Int32] = []
        /// The number the next group gets, in its id.
        var nextNumber: Int32 = 0
        /// The serial the next post gets. It starts past the window, so the table's zeros read as dead.
        var serial: UInt64

        init(windowSize: Int) {
            window = UInt64(windowSize)
            signatures = .allocate(capacity: windowSize)
            signatures.initialize(repeating: SIMD16())
            firstValues = .allocate(capacity: windowSize)
            firstValues.initialize(repeating: 0)
            groupOf = .allocate(capacity: windowSize)
            groupOf.initialize(repeating: -1)
            authorOf = .allocate(capacity: windowSize)
            authorOf.initialize(repeating: 0)
            entries = .allocate(capacity: CampaignTracker.bucketDepth << CampaignTracker.bucketBits)
            entries.initialize(repeating: 0)
            serial = UInt64(windowSize) + 1
        }

        deinit {
            signatures.deallocate()
            firstValues.deallocate()
            groupOf.deallocate()
            authorOf.deallocate()
            entries.deallocate()
        }

        /// How many posts ago the entry's post came, from 1 to 2^serialBits: live if at most `window`.
        func age(of entry: UInt32) -> UInt64 {
            let stored = UInt64(entry >> UInt32(CampaignTracker.tagBits))
            return ((serial &- stored &- 1) & ((1 << UInt64(CampaignTracker.serialBits)) - 1)) + 1
        }

        /// Prefetches the buckets the signature's bands fall in.
        func prefetchBuckets(of signature: MinHashSignature) {
            guard let base = entries.baseAddress else { return }
            for band in 0..<CampaignTracker.bands {
                let bucket = Int(signature.bands[band] >> UInt32(CampaignTracker.tagBits))
                triage_prefetch(base + bucket * CampaignTracker.bucketDepth)
            }
        }

        /// Prefetches the live signatures the signature's buckets name now.
        func prefetchCandidates(of signature: MinHashSignature) {
            guard let base = signatures.baseAddress else { return }
            forEachCandidate(of: signature) { triage_prefetch(base + $0) }
        }

        /// Calls `body` with the window slot of each live post whose entry in one of the signature's buckets
        /// carries that band's tag; a post may come more than once (a near copy shares several bands).
        @inline(__always)
        func forEachCandidate(of signature: MinHashSignature, _ body: (Int) -> Void) {
            let depth = CampaignTracker.bucketDepth
            let (tagBits, tagMask) = (UInt32(CampaignTracker.tagBits), CampaignTracker.tagMask)
            for band in 0..<CampaignTracker.bands {
                let reference = signature.bands[band]
                let first = Int(reference >> tagBits) * depth
                for position in first..<(first + depth) where entries[position] & tagMask == reference & tagMask {
                    let age = age(of: entries[position])
                    if age <= window { body(Int((serial &- age) % window)) }
                }
            }
        }

        /// Records a post (its buckets and signatures prefetched by `assign(_:signature:author:joined:)`) and
        /// returns its campaign so far, when the window holds a near-identical post.
        mutating func assign(_ signature: MinHashSignature, author: UInt64) -> CampaignInfo? {
            let depth = CampaignTracker.bucketDepth
            let (tagBits, tagMask) = (UInt32(CampaignTracker.tagBits), CampaignTracker.tagMask)
            // The candidates, each once.
            var candidates = InlineArray<32, Int32>(repeating: -1)
            var candidateCount = 0
            forEachCandidate(of: signature) { found in
                let slot = Int32(truncatingIfNeeded: found)
                if (0..<candidateCount).contains(where: { candidates[$0] == slot }) { return }
                candidates[candidateCount] = slot
                candidateCount += 1
            }
            // The most similar live post among them.
            let size = MinHashSignature.size
            var match = -1
            var best = Int((CampaignTracker.minimumSimilarity * Double(size)).rounded(.up))
            for index in 0..<candidateCount {
                let slot = Int(candidates[index])
                let equal = signature.equalValues(with: signatures[slot])
                if equal >= best {
                    (match, best) = (slot, equal)
                    if equal * 10 >= size * 9 { break }  // a copy: no need to look further
                }
            }
            var group: Int32 = -1
            var campaign: CampaignInfo?
            if match >= 0 {
                group = groupOf[match]
                if group < 0 {
                    // The matched post founds the group now that it has a second member.
                    let founded = CampaignGroup(
                        founder: firstValues[match],
                        number: nextNumber,
                        author: authorOf[match]
                    )
                    nextNumber = nextNumber == .max ? 0 : nextNumber + 1
                    if let free = freeGroups.popLast() {
                        group = free
                        groups[Int(free)] = founded
                    } else {
                        group = Int32(groups.count)
                        groups.append(founded)
                    }
                    groupOf[match] = group
                }
                campaign = groups[Int(group)]?.join(by: author)
            }
            // The oldest post leaves the window: its slot is taken over and its entries age out.
            let slot = Int(serial % window)
            let old = Int(groupOf[slot])
            if old >= 0 {
                // A group is forgotten once none of its posts is in the window: memory stays bounded.
                groups[old]?.live -= 1
                if groups[old]?.live == 0 {
                    groups[old] = nil
                    freeGroups.append(Int32(old))
                }
            }
            signatures[slot] = signature.values
            firstValues[slot] = signature.first
            groupOf[slot] = group
            authorOf[slot] = author
            let stamp = UInt32(truncatingIfNeeded: serial) << tagBits
            for band in 0..<CampaignTracker.bands {
                // The oldest entry of the bucket (or a dead one) gives way to this post.
                let reference = signature.bands[band]
                let first = Int(reference >> tagBits) * depth
                var oldest = first
                for position in (first + 1)..<(first + depth)
                where age(of: entries[position]) > age(of: entries[oldest]) {
                    oldest = position
                }
                entries[oldest] = stamp | reference & tagMask
            }
            serial &+= 1
            return campaign
        }
    }
}
