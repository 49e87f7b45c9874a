internal import Glibc
import Moderation

/// Judges the hosts a post links to, in its text (`https://…`, `www.…`, bare `bit.ly/abc`) and in its HTML
/// links: hosts on the domain list's block list, IP addresses, punycode names and lookalike names.
///
/// A host on the allow list, or under an allowed domain, gives no signal at all. Rules:
/// - `links.blocklisted`: the host is, or is under, a blocked domain; the entry's category and weight.
/// - `scam.ip_host`: the host is an IPv4 address or a bracketed IPv6 address (`http://45.12.9.3/login`).
/// - `scam.punycode_domain`: a label starts with `xn--`, the form an internationalized name takes in a URL.
/// - `scam.lookalike_domain`: the host as written has letters from another script (or Latin look-alikes
///   such as `ɑ`) among ASCII ones, and normalizes to plain ASCII: `pаypal.com` with a Cyrillic `а`.
///   A host written wholly in another script (`пример.рф`) is an ordinary internationalized name, and
///   fullwidth or mathematical letters are not counted, since browsers map them to the same ASCII host.
public struct LinkHeuristic: Heuristic {
    public let name = "links"
    /// The blocked and allowed domains.
    public let domains: DomainList

    public init(domains: DomainList = .empty) {
        self.domains = domains
    }

    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        let normalized = input.normalized
        let linkStarts = input.shape.linkStarts
        var original = OriginalScalars(original: input.original, isASCII: input.isASCII)
        var signals: [Signal] = []
        normalized.bytes.withUnsafeBufferPointer { bytes in
            // A host has a dot, or sits in a `scheme://` link (`http://[::1]/`): most posts have neither.
            guard let base = bytes.baseAddress, !linkStarts.isEmpty || memchr(base, 0x2E, bytes.count) != nil else {
                return
            }
            let scanner = LinkScanner(bytes: bytes, domains: domains)
            for link in scanner.links(startingAt: linkStarts) {
                let host = String(decoding: UnsafeBufferPointer(rebasing: bytes[link.host]), as: UTF8.self)
                let isLookalike = !link.isIP && original.isLookalike(normalized.originalRange(forBytes: link.host))
                judge(
                    host[...],
                    isIP: link.isIP,
                    isLookalike: isLookalike,
                    span: normalized.originalRange(forBytes: link.url),
                    into: &signals
                )
            }
        }
        for link in input.links {
            guard let target = LinkTarget(link.target) else { continue }
            judge(
                target.host[...],
                isIP: target.isIP,
                isLookalike: target.isLookalike,
                span: link.anchorRange,
                into: &signals
            )
        }
        guard signals.count > 1 else { return signals }
        // An anchor whose text is its own URL is found twice, in the text and in the HTML link.
        var seen: Set<Signal> = []
        return signals.filter { seen.insert($0).inserted }
    }

    /// Whether a label of `host` starts with `xn--`, the form an internationalized name takes in a URL.
    private static func hasPunycodeLabel(_ host: Substring) -> Bool {
        let bytes = Array(host.utf8)
        let prefix = Array("xn--".utf8)
        return bytes.starts(with: prefix)
            || bytes.indices.contains { bytes[$0] == 0x2E && bytes[($0 + 1)...].starts(with: prefix) }
    }

    private func judge(
        _ host: Substring,
        isIP: Bool,
        isLookalike: Bool,
        span: Range<Int>,
        into signals: inout [Signal]
    ) {
        switch domains.listing(ofHost: host) {
        case .allowed: return
        case .blocked(let entry):
            signals.append(
                Signal(rule: "links.blocklisted", category: entry.category, weight: entry.weight, span: span)
            )
        case .unlisted: break
        }
        if isIP {
            signals.append(Signal(rule: "scam.ip_host", category: "scam", weight: 0.4, span: span))
        } else if Self.hasPunycodeLabel(host) {
            signals.append(Signal(rule: "scam.punycode_domain", category: "scam", weight: 0.4, span: span))
        }
        if isLookalike {
            signals.append(Signal(rule: "scam.lookalike_domain", category: "scam", weight: 0.5, span: span))
        }
    }
}

// MARK: - Lookalikes

/// Whether a letter outside ASCII can stand in for an ASCII one in a host name that still reads as ASCII:
/// any letter but the compatibility forms (fullwidth, mathematical, circled letters, ligatures), which
/// browsers map to the very ASCII host they show (UTS #46), so they lead nowhere unexpected.
func isLookalikeLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case ..<0x80, 0x2460...0x24FF, 0xFB00...0xFB4F, 0xFF00...0xFFEF, 0x1D400...0x1D7FF: false
    default: scalar.properties.isAlphabetic
    }
}

/// Reads code point spans of the original text, in text order (`CodePointCursor`).
struct OriginalScalars {
    let original: UnsafeBufferPointer<UInt8>
    let isASCII: Bool
    private var cursor: CodePointCursor

    init(original: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        self.original = original
        self.isASCII = isASCII
        cursor = CodePointCursor(text: original, isASCII: isASCII)
    }

    /// Whether the original code points `span` mix ASCII letters with look-alike letters (`isLookalikeLetter`).
    ///
    /// The caller has the span from a host that normalized to ASCII, so a look-alike letter there was folded.
    mutating func isLookalike(_ span: Range<Int>) -> Bool {
        guard !isASCII, !span.isEmpty else { return false }
        let start = byteOffset(ofCodePoint: span.lowerBound)
        let end = byteOffset(ofCodePoint: span.upperBound)
        var hasASCIILetter = false
        var hasLookalike = false
        var decoder = UTF8()
        var iterator = original[start..<end].makeIterator()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if scalar.value < 0x80 {
                hasASCIILetter = hasASCIILetter || (UInt8(scalar.value) | 0x20) &- 0x61 < 26
            } else {
                hasLookalike = hasLookalike || isLookalikeLetter(scalar)
            }
        }
        return hasASCIILetter && hasLookalike
    }

    private mutating func byteOffset(ofCodePoint index: Int) -> Int {
        cursor.byteOffset(ofCodePoint: index)
    }
}

// MARK: - HTML link targets

/// The host of an HTML link's `href`, when it is an absolute (`scheme://`, `//`) or `www.` link.
struct LinkTarget {
    /// The host in lower case, as written (an internationalized name is not folded).
    var host: String
    /// Whether the host is an IP address.
    var isIP: Bool
    /// Whether the host mixes ASCII letters with Cyrillic, Greek, Armenian or Cherokee ones.
    ///
    /// An `href` is not normalized, so this is the script test the normalizer applies to words, not the
    /// folding test used on the text.
    var isLookalike: Bool

    init?(_ target: String) {
        // Over UTF-8 bytes: walking an href by `Character` cost more than the rest of the link heuristic.
        let bytes = Array(target.lowercased().utf8)
        var start = 0
        if let colon = bytes.firstIndex(of: 0x3A), colon > 0, bytes[colon...].starts(with: [0x3A, 0x2F, 0x2F]),
            bytes[..<colon].allSatisfy({ $0 &- 0x61 < 26 || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        {
            start = colon + 3  // `scheme://`
        } else if bytes.starts(with: [0x2F, 0x2F]) {
            start = 2  // `//host`
        } else if !bytes.starts(with: Array("www.".utf8)) {
            return nil
        }
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == 0x2F || byte == 0x3F || byte == 0x23 || byte == 0x5C || byte == 0x20 || byte &- 0x09 < 5 {
                break
            }
            if byte >= 0x80, Self.whitespaceWidth(bytes, at: end) > 0 { break }
            end += 1
        }
        if let at = bytes[start..<end].lastIndex(of: 0x40) { start = at + 1 }  // `user@host`
        if start < end, bytes[start] == 0x5B {
            guard let close = bytes[start..<end].firstIndex(of: 0x5D) else { return nil }
            host = String(decoding: bytes[start...close], as: UTF8.self)
            isIP = true
            isLookalike = false
            return
        }
        var nameEnd = bytes[start..<end].firstIndex(of: 0x3A) ?? end  // `:port`
        while nameEnd > start, bytes[nameEnd - 1] == 0x2E { nameEnd -= 1 }
        let name = bytes[start..<nameEnd]
        // Not yet in its xn-- form, a name may take up to four UTF-8 bytes a character.
        guard !name.isEmpty, name.count <= LinkScanner.maxHostBytes * 4 else { return nil }
        let lastDot = name.lastIndex(of: 0x2E)
        let lastLabel = name[(lastDot.map { $0 + 1 } ?? start)...]
        isIP =
            lastLabel.allSatisfy { $0 &- 0x30 < 10 }
            || (lastLabel.starts(with: [0x30, 0x78])
                && lastLabel.dropFirst(2).allSatisfy { $0 &- 0x30 < 10 || $0 &- 0x61 < 6 })
        guard isIP || lastDot != nil else { return nil }
        host = String(decoding: name, as: UTF8.self)
        var scripts: UInt8 = 0  // 1: ASCII letters, 2: letters of a script that imitates Latin
        for scalar in host.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A: scripts |= 1
            case 0x370...0x58F, 0x13A0...0x13FF, 0x1C80...0x1C8F, 0x1F00...0x1FFF, 0x2DE0...0x2DFF, 0xA640...0xA69F,
                0xAB70...0xABBF:
                scripts |= 2
            default: break
            }
        }
        isLookalike = !isIP && scripts == 3
    }

    /// The byte length of the whitespace code point at `offset` (U+0085, U+00A0, U+1680, U+2000…U+200A,
    /// U+2028, U+2029, U+202F, U+205F, U+3000), or 0 when there is none.
    private static func whitespaceWidth(_ bytes: [UInt8], at offset: Int) -> Int {
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.properties.isWhitespace else {
            return 0
        }
        return UTF8.width(scalar)
    }
}
