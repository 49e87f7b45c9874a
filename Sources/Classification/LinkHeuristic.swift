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
        } else if host.hasPrefix("xn--") || host.contains(".xn--") {
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
        var rest = Substring(target.lowercased())
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://"), colon > rest.startIndex,
            rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || "+-.".contains($0)) })
        {
            rest = rest[colon...].dropFirst(3)
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        } else if !rest.hasPrefix("www.") {
            return nil
        }
        var authority = rest.prefix { !"/?#\\".contains($0) && !$0.isWhitespace }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close])
            isIP = true
            isLookalike = false
            return
        }
        var name = authority.prefix { $0 != ":" }
        while name.hasSuffix(".") { name = name.dropLast() }
        // Not yet in its xn-- form, a name may take up to four UTF-8 bytes a character.
        guard !name.isEmpty, name.utf8.count <= LinkScanner.maxHostBytes * 4 else { return nil }
        let lastLabel = name.split(separator: ".").last ?? name
        isIP =
            lastLabel.allSatisfy(\.isASCIIDigit)
            || (lastLabel.hasPrefix("0x") && lastLabel.dropFirst(2).allSatisfy(\.isHexDigit))
        guard isIP || name.contains(".") else { return nil }
        host = String(name)
        var scripts: UInt8 = 0  // 1: ASCII letters, 2: letters of a script that imitates Latin
        for scalar in name.unicodeScalars {
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
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
