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

    var values: [UInt32]
    /// The index keys of the signature's bands, computed with it (on a worker, not in the serial pass).
    var bandKeys: [UInt64] = []

    /// The signature of normalized text, or `nil` when it is too short to compare.
    init?(of text: [UInt8]) {
        var words: [Range<Int>] = []
        var start: Int?
        for (offset, byte) in text.enumerated() {
            let isWord = (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte >= 0x80
            if isWord, start == nil { start = offset }
            if !isWord, let first = start {
                words.append(first..<offset)
                start = nil
            }
        }
        if let first = start { words.append(first..<text.count) }
        guard words.count >= Self.minimumWords else { return nil }
        // One-permutation hashing: each shingle's hash picks a bin by its top bits and competes for that
        // bin's minimum. One hash per shingle instead of one per slot; empty bins borrow from the next
        // filled one (rotation densification, Shrivastava 2017), so short texts still fill every slot.
        var values = [UInt32](repeating: .max, count: Self.size)
        var filled = [Bool](repeating: false, count: Self.size)
        for index in 0..<(words.count - 1) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over "word word"
            for byte in text[words[index]] { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
            hash = (hash ^ 0x20) &* 0x0100_0000_01B3
            for byte in text[words[index + 1]] { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
            hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 31
            let bin = Int(hash >> 60)  // the top 4 bits: one of 16 bins
            let value = UInt32(truncatingIfNeeded: hash)
            if value < values[bin] { values[bin] = value }
            filled[bin] = true
        }
        for bin in 0..<Self.size where !filled[bin] {
            var source = (bin + 1) % Self.size
            var distance = 1
            while !filled[source] {
                source = (source + 1) % Self.size
                distance += 1
            }
            values[bin] = values[source] &+ UInt32(distance) &* 0x9E37_79B9
        }
        self.values = values
        let rows = Self.size / CampaignTracker.bands
        bandKeys = (0..<CampaignTracker.bands).map { band in
            var key = UInt64(band) << 56
            for row in 0..<rows { key = (key &* 0x0100_0000_01B3) ^ UInt64(values[band * rows + row]) }
            return key
        }
    }

    /// The share of equal values: an estimate of the two texts' shingle Jaccard similarity.
    func similarity(to other: MinHashSignature) -> Double {
        Double(zip(values, other.values).count { $0 == $1 }) / Double(Self.size)
    }
}

/// Groups near-identical posts seen in a bounded window of recent posts.
///
/// Signatures are cut into 8 bands of 2 values (the newest few posts of each band's bucket are looked at); two posts that share a band are compared, and join when
/// their estimated similarity is at least `minimumSimilarity`. Posts are taken in input order, so a post's
/// campaign depends only on the posts before it: the same input gives the same groups whatever the
/// batching or the number of workers.
final class CampaignTracker: Sendable {
    /// How many recent posts are remembered.
    let windowSize: Int
    static let minimumSimilarity = 0.5
    /// Posts compared per bucket, newest first: a flood of copies must not make each new one cost more.
    static let comparisonsPerBucket = 4
    static let bands = 8

    /// A bucket's reference to a post: its slot in the window and its serial, to tell it from a later
    /// post in the same slot.
    private struct Reference {
        var slot: Int32
        var serial: Int
    }

    /// References kept per bucket; only the newest `comparisonsPerBucket` are compared anyway.
    static let bucketCapacity = 64

    private struct Group {
        var founder: UInt32
        var size: Int
        var live: Int
        var authors: Set<String>
    }

    /// The window is kept flat (signature values side by side), so the serial pass reads it without copying
    /// or reference counting.
    private struct State {
        var signatures: [UInt32]
        var campaignOf: [Int]
        var serialOf: [Int]
        var next = 0
        var serial = 0
        var buckets: [UInt64: [Reference]] = [:]
        var campaigns: [Int: Group] = [:]
        var nextCampaign = 0
    }

    private let state: Mutex<State>

    init(windowSize: Int = 20_000) {
        self.windowSize = windowSize
        state = Mutex(
            State(
                signatures: [UInt32](repeating: 0, count: windowSize * MinHashSignature.size),
                campaignOf: [Int](repeating: -1, count: windowSize),
                serialOf: [Int](repeating: -1, count: windowSize)
            )
        )
    }

    /// Records a post and returns its campaign so far, when the window holds a near-identical post.
    func assign(_ signature: MinHashSignature, author: String) -> CampaignInfo? {
        let keys = signature.bandKeys
        let values = signature.values
        let size = MinHashSignature.size
        return state.withLock { state in
            var campaign: Int?
            var best = Int((Self.minimumSimilarity * Double(size)).rounded(.up))
            search: for key in keys {
                guard let references = state.buckets[key] else { continue }
                for reference in references.suffix(Self.comparisonsPerBucket).reversed() {
                    let slot = Int(reference.slot)
                    guard state.serialOf[slot] == reference.serial else { continue }
                    var equal = 0
                    for index in 0..<size where state.signatures[slot * size + index] == values[index] { equal += 1 }
                    if equal >= best {
                        (campaign, best) = (state.campaignOf[slot], equal)
                        if equal * 10 >= size * 9 { break search }  // a copy: no need to look further
                    }
                }
            }
            let id: Int
            if let campaign {
                id = campaign
                state.campaigns[id]?.size += 1
                state.campaigns[id]?.live += 1
                // Past a thousand distinct authors the count stops: the group is a flood either way.
                if state.campaigns[id]?.authors.count ?? 0 < 1_000 { state.campaigns[id]?.authors.insert(author) }
            } else {
                id = state.nextCampaign
                state.nextCampaign += 1
                state.campaigns[id] = Group(founder: values[0], size: 1, live: 1, authors: [author])
            }
            // Forget the oldest post (its bucket references go stale and age out), then remember this one.
            let slot = state.next
            let old = state.campaignOf[slot]
            if old >= 0 {
                // A group is forgotten once none of its posts is in the window any more: memory stays bounded.
                state.campaigns[old]?.live -= 1
                if state.campaigns[old]?.live == 0 { state.campaigns[old] = nil }
            }
            for index in 0..<size { state.signatures[slot * size + index] = values[index] }
            state.campaignOf[slot] = id
            state.serialOf[slot] = state.serial
            for key in keys {
                state.buckets[key, default: []].append(Reference(slot: Int32(slot), serial: state.serial))
                if let count = state.buckets[key]?.count, count > Self.bucketCapacity {
                    state.buckets[key]?.removeFirst(count - Self.bucketCapacity / 2)
                }
            }
            state.serial += 1
            state.next = (slot + 1) % windowSize
            // Buckets of posts long gone would pile up: sweep the stale references now and then.
            if state.serial % (windowSize * 4) == 0 {
                let serials = state.serialOf
                state.buckets = state.buckets.compactMapValues { references in
                    let live = references.filter { serials[Int($0.slot)] == $0.serial }
                    return live.isEmpty ? nil : live
                }
            }
            guard let group = state.campaigns[id], group.size >= 2 else { return nil }
            return CampaignInfo(
                id: "c_" + String(group.founder, radix: 16) + "_" + String(id),
                size: group.size,
                authors: group.authors.count
            )
        }
    }
}
