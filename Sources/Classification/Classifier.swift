internal import Glibc
public import Moderation

/// Everything a heuristic may look at for one post: the analysed text (original and normalized) and the
/// post's context.
public struct ClassifierInput: ~Copyable {
    /// The analysed text as written (body or visible HTML text), as UTF-8.
    public let original: UnsafeBufferPointer<UInt8>
    /// Whether `original` is all ASCII (then byte offsets are code point offsets).
    public let isASCII: Bool
    /// The normalized text.
    public let normalized: NormalizedText
    /// Links from the HTML parse.
    public let links: [Link]
    /// Ranges of the text hidden by CSS.
    public let hiddenRanges: [Range<Int>]
    /// Who wrote it, to whom, where.
    public let context: PostContext
    /// Counts every heuristic reads, taken in one pass over the text.
    public let shape: TextShape

    public init(
        original: UnsafeBufferPointer<UInt8>,
        isASCII: Bool,
        normalized: NormalizedText,
        links: [Link],
        hiddenRanges: [Range<Int>],
        context: PostContext
    ) {
        self.original = original
        self.isASCII = isASCII
        self.normalized = normalized
        self.links = links
        self.hiddenRanges = hiddenRanges
        self.context = context
        self.shape = TextShape(original: original, normalized: normalized)
    }
}

/// Counts over a post's text, computed once so each heuristic does not walk the text again (Rspamd keeps
/// such counters on its text parts for the same reason).
public struct TextShape: Sendable {
    /// ASCII letters in the original text.
    public var letters = 0
    /// Upper-case ASCII letters in the original text.
    public var uppercase = 0
    /// The longest run of one repeated ASCII character (not a space) in the normalized text, as a byte range.
    public var longestRun: Range<Int> = 0..<0
    /// Byte offsets in the normalized text where a link starts (`scheme://` or `www.`).
    public var linkStarts: [Int] = []

    init(original: UnsafeBufferPointer<UInt8>, normalized: NormalizedText) {
        // The normalizer counted these while it read the text.
        letters = normalized.asciiLetters
        uppercase = normalized.asciiUppercase
        normalized.bytes.withUnsafeBufferPointer { bytes in
            guard !bytes.isEmpty else { return }
            var runStart = 0
            for index in 1...bytes.count where index == bytes.count || bytes[index] != bytes[runStart] {
                if index - runStart > longestRun.count, bytes[runStart] != 0x20, bytes[runStart] < 0x80 {
                    longestRun = runStart..<index
                }
                runStart = index
            }
            // A link needs a `:` (scheme) or a `.` (www.): memchr rules most posts out before any scan.
            if let base = bytes.baseAddress,
                memchr(base, 0x3A, bytes.count) != nil || memchr(base, 0x2E, bytes.count) != nil
            {
                linkStarts = LinkDensityHeuristic.linkStarts(in: bytes)
            }
        }
    }
}

/// A signal a heuristic found, with a span in the original text (code points).
public struct Signal: Sendable, Hashable {
    /// The heuristic's id, such as `heuristic.shouting`.
    public var rule: String
    /// The category it scores.
    public var category: String
    /// How strongly it indicates the category, from 0 to 1.
    public var weight: Double
    /// Code point span in the original text.
    public var span: Range<Int>

    public init(rule: String, category: String, weight: Double, span: Range<Int>) {
        self.rule = rule
        self.category = category
        self.weight = weight
        self.span = span
    }
}

/// A check of a post's shape that words alone can't express.
public protocol Heuristic: Sendable {
    /// The id findings cite.
    var name: String { get }
    /// Returns the signals this heuristic sees in `input`.
    func signals(in input: borrowing ClassifierInput) -> [Signal]
}

/// Runs every enabled heuristic over a post.
public struct Classifier: Sendable {
    /// The heuristics, in the order they run.
    public let heuristics: [any Heuristic]

    /// The built-in heuristics, with no domains blocked or allowed.
    public static let standard = Classifier.standard(domains: DomainList.empty)

    /// The built-in heuristics, with the link heuristic judging hosts by `domains` (`lexicons/domains.yml`).
    public static func standard(domains: DomainList) -> Classifier {
        Classifier(heuristics: [
            ShoutingHeuristic(), RepeatedCharacterHeuristic(), LinkDensityHeuristic(), HiddenTextHeuristic(),
            EvasionHeuristic(), LinkMismatchHeuristic(), PIIHeuristic(), SpamShapeHeuristic(),
            LinkHeuristic(domains: domains),
        ])
    }

    public init(heuristics: [any Heuristic]) {
        self.heuristics = heuristics
    }

    /// Returns every heuristic's signals for `input`.
    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        var signals: [Signal] = []
        for index in heuristics.indices {
            // Most heuristics find nothing; appending their empty arrays still cost a reallocation each.
            let found = heuristics[index].signals(in: input)
            if !found.isEmpty { signals.append(contentsOf: found) }
        }
        return signals
    }
}
