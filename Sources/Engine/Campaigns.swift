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
    static let comparisonsPerBucket = 8
    static let bands = 8

    private struct Entry {
        var signature: MinHashSignature
        var campaign: Int
    }

    private struct Group {
        var founder: UInt32
        var size: Int
        var live: Int
        var authors: Set<String>
    }

    private struct State {
        var window: [Entry?]
        var next = 0
        var buckets: [UInt64: [Int]] = [:]
        var campaigns: [Int: Group] = [:]
        var nextCampaign = 0
    }

    private let state: Mutex<State>

    init(windowSize: Int = 20_000) {
        self.windowSize = windowSize
        state = Mutex(State(window: Array(repeating: nil, count: windowSize)))
    }

    private static func bucketKeys(_ signature: MinHashSignature) -> [UInt64] {
        let rows = MinHashSignature.size / bands
        return (0..<bands).map { band in
            var key = UInt64(band) << 56
            for row in 0..<rows {
                key = (key &* 0x0100_0000_01B3) ^ UInt64(signature.values[band * rows + row])
            }
            return key
        }
    }

    /// Records a post and returns its campaign so far, when the window holds a near-identical post.
    func assign(_ signature: MinHashSignature, author: String) -> CampaignInfo? {
        let keys = Self.bucketKeys(signature)
        return state.withLock { state in
            var campaign: Int?
            var best = Self.minimumSimilarity
            search: for key in keys {
                for slot in (state.buckets[key] ?? []).reversed().prefix(Self.comparisonsPerBucket) {
                    guard let entry = state.window[slot] else { continue }
                    let similarity = entry.signature.similarity(to: signature)
                    if similarity >= best {
                        (campaign, best) = (entry.campaign, similarity)
                        if similarity >= 0.9 { break search }  // a copy: no need to look further
                    }
                }
            }
            let id: Int
            if let campaign {
                id = campaign
                state.campaigns[id]?.size += 1
                state.campaigns[id]?.live += 1
                state.campaigns[id]?.authors.insert(author)
            } else {
                id = state.nextCampaign
                state.nextCampaign += 1
                state.campaigns[id] = Group(founder: signature.values[0], size: 1, live: 1, authors: [author])
            }
            // Forget the oldest post, then remember this one.
            let slot = state.next
            if let old = state.window[slot] {
                for key in Self.bucketKeys(old.signature) {
                    state.buckets[key]?.removeAll { $0 == slot }
                    if state.buckets[key]?.isEmpty == true { state.buckets[key] = nil }
                }
                // A group is forgotten once none of its posts is in the window any more: memory stays bounded.
                state.campaigns[old.campaign]?.live -= 1
                if state.campaigns[old.campaign]?.live == 0 { state.campaigns[old.campaign] = nil }
            }
            state.window[slot] = Entry(signature: signature, campaign: id)
            for key in keys { state.buckets[key, default: []].append(slot) }
            state.next = (slot + 1) % windowSize
            guard let group = state.campaigns[id], group.size >= 2 else { return nil }
            return CampaignInfo(
                id: "c_" + String(group.founder, radix: 16) + "_" + String(id),
                size: group.size,
                authors: group.authors.count
            )
        }
    }
}
