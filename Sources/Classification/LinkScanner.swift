internal import Glibc

/// A link found in text: the whole URL and its host, as byte ranges of the normalized text.
struct FoundLink: Equatable {
    /// The URL as written, scheme (if any) to the end of its path.
    var url: Range<Int>
    /// The host; an IPv6 host keeps its brackets.
    var host: Range<Int>
    /// Whether the host is an IP address rather than a name.
    var isIP: Bool
}

/// Finds links in normalized text (ASCII lower case): `scheme://host…`, `www.host…`, and bare `host.tld/path`.
///
/// A bare name is a link only when a `/` follows it, its top-level domain is one links commonly use
/// (`shortTLDs`), or the domain list names it: so `e.g.`, `file.txt` and `ok.so` are not links. A bare IPv4
/// address needs a path or a port (`45.12.9.3/login`, `45.12.9.3:8080`): alone, `1.2.3.4` is as likely a
/// version number as an address. Hosts are ASCII here: an internationalized name the normalizer could not
/// fold to ASCII is no concern of the link heuristics, and a non-ASCII byte ends a host.
struct LinkScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let domains: DomainList

    /// The longest host name DNS allows (RFC 1035, 2.3.4): a longer run of labels is not a host, and looking
    /// each of its parents up in the domain list would cost time quadratic in its length.
    static let maxHostBytes = 253

    /// Top-level domains that make a bare `name.tld` a link without a path after it.
    static let shortTLDs: Set<String> = [
        "com", "net", "org", "info", "biz", "io", "co", "ly", "gl", "gg", "tv", "cc", "su", "ru", "tk", "ml", "ga",
        "cf", "gq", "pw", "ws", "xyz", "top", "site", "online", "live", "club", "shop", "store", "link", "click",
        "app", "dev", "icu", "vip", "win", "bid", "loan", "fun", "monster", "rest", "cam", "uk", "de",
    ]

    /// Every link in the text, in text order: those at `linkStarts` (`scheme://` and `www.`, from
    /// `TextShape`), then bare hosts around each remaining `.`.
    func links(startingAt linkStarts: [Int]) -> [FoundLink] {
        var explicit: [FoundLink] = []
        for start in linkStarts {
            if let last = explicit.last, start < last.url.upperBound { continue }
            if let link = explicitLink(at: start) { explicit.append(link) }
        }
        guard let base = bytes.baseAddress else { return explicit }
        var found: [FoundLink] = []
        var next = 0  // the first explicit link that does not end before the run being read
        var index = 0
        // memchr(3) is vectorized in glibc: the bytes between dots are skipped, not stepped through.
        while index < bytes.count, let dot = memchr(base + index, 0x2E, bytes.count - index) {
            let at = UnsafeRawPointer(dot) - UnsafeRawPointer(base)
            var start = at
            var end = at + 1
            while start > 0, isHostByte(bytes[start - 1]) { start -= 1 }
            while end < bytes.count, isHostByte(bytes[end]) { end += 1 }
            index = end
            while next < explicit.count, explicit[next].url.upperBound <= start {
                found.append(explicit[next])
                next += 1
            }
            if next < explicit.count, explicit[next].url.lowerBound < end { continue }  // part of that link
            if let link = bareLink(in: start..<end) { found.append(link) }
        }
        found.append(contentsOf: explicit[next...])
        return found
    }

    // MARK: - Explicit links

    /// The link at a `TextShape` link start: a scheme and `://`, or `www.`.
    private func explicitLink(at start: Int) -> FoundLink? {
        var hostStart = start
        if !hasPrefix("www.", at: start) {
            var colon = start
            while colon < bytes.count, isLowercaseLetter(bytes[colon]) { colon += 1 }
            guard hasPrefix("://", at: colon) else { return nil }
            hostStart = colon + 3
        }
        var authorityEnd = hostStart
        while authorityEnd < bytes.count, isAuthorityByte(bytes[authorityEnd]) { authorityEnd += 1 }
        // The host follows the last `@`: in `http://paypal.com@evil.example/` it is evil.example.
        var at = authorityEnd
        while at > hostStart, bytes[at - 1] != 0x40 { at -= 1 }
        if at > hostStart { hostStart = at }
        let host: Range<Int>
        let isIP: Bool
        if hostStart < authorityEnd, bytes[hostStart] == 0x5B {  // [
            var close = hostStart + 1
            while close < authorityEnd, bytes[close] != 0x5D { close += 1 }
            guard close < authorityEnd, isIPv6(hostStart + 1..<close) else { return nil }
            host = hostStart..<(close + 1)
            isIP = true
        } else {
            var end = hostStart
            while end < authorityEnd, isHostByte(bytes[end]) { end += 1 }
            host = trimmed(hostStart..<end)
            guard !host.isEmpty, host.count <= Self.maxHostBytes else { return nil }
            // WHATWG URL: a host whose last label is a number is an IPv4 address (`3232235777`, `0x2d.12.9.3`).
            isIP = endsInNumber(host)
            guard isIP || isDomain(host) else { return nil }
        }
        return FoundLink(url: start..<urlEnd(host: host, authorityEnd: authorityEnd), host: host, isIP: isIP)
    }

    // MARK: - Bare links

    /// The bare link in a run of host bytes around a `.`, if the run is one.
    private func bareLink(in run: Range<Int>) -> FoundLink? {
        var host = trimmed(run)
        // After an ellipsis (`wait...grabify.link`), the host starts past the last `..`.
        var index = host.upperBound - 1
        while index > host.lowerBound {
            if bytes[index] == 0x2E, bytes[index - 1] == 0x2E {
                host = (index + 1)..<host.upperBound
                break
            }
            index -= 1
        }
        guard host.count >= 3, host.count <= Self.maxHostBytes else { return nil }
        // `me@example.com` is an address, `my_file.txt` a name.
        if host.lowerBound > 0, bytes[host.lowerBound - 1] == 0x40 || bytes[host.lowerBound - 1] == 0x5F { return nil }
        let next = host.upperBound < bytes.count ? bytes[host.upperBound] : 0
        if next == 0x40 || next == 0x5F { return nil }
        let hasPath = next == 0x2F
        let hasPort = next == 0x3A && host.upperBound + 1 < bytes.count && isDigit(bytes[host.upperBound + 1])
        if isDottedQuad(host) {
            guard hasPath || hasPort else { return nil }
            return FoundLink(
                url: host.lowerBound..<urlEnd(host: host, authorityEnd: host.upperBound),
                host: host,
                isIP: true
            )
        }
        guard isDomain(host), hasPath || hasShortTLD(host) || isListed(host) else { return nil }
        return FoundLink(
            url: host.lowerBound..<urlEnd(host: host, authorityEnd: host.upperBound),
            host: host,
            isIP: false
        )
    }

    // MARK: - Shapes

    /// Two or more labels of letters, digits and hyphens, the last (the top-level domain) two or more letters
    /// or an `xn--` label.
    private func isDomain(_ host: Range<Int>) -> Bool {
        var labelStart = host.lowerBound
        var labels = 0
        for index in host where bytes[index] == 0x2E {
            guard index > labelStart else { return false }
            labels += 1
            labelStart = index + 1
        }
        guard labels >= 1, labelStart < host.upperBound else { return false }
        let tld = labelStart..<host.upperBound
        if hasPrefix("xn--", at: tld.lowerBound), tld.count > 4 { return true }
        return tld.count >= 2 && tld.allSatisfy { isLowercaseLetter(bytes[$0]) }
    }

    /// Four dot-separated numbers from 0 to 255.
    private func isDottedQuad(_ host: Range<Int>) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        for index in host {
            let byte = bytes[index]
            if byte == 0x2E {
                guard digits > 0 else { return false }
                parts += 1
                value = 0
                digits = 0
            } else {
                guard isDigit(byte), digits < 3 else { return false }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                guard value <= 255 else { return false }
            }
        }
        return parts == 3 && digits > 0
    }

    /// Whether the last label is a decimal or `0x` hexadecimal number.
    private func endsInNumber(_ host: Range<Int>) -> Bool {
        var start = host.upperBound
        while start > host.lowerBound, bytes[start - 1] != 0x2E { start -= 1 }
        let label = start..<host.upperBound
        guard !label.isEmpty else { return false }
        if hasPrefix("0x", at: start) { return label.dropFirst(2).allSatisfy { isHexDigit(bytes[$0]) } }
        return label.allSatisfy { isDigit(bytes[$0]) }
    }

    /// Hex digits, colons and dots (an embedded IPv4 tail), with at least two colons.
    private func isIPv6(_ range: Range<Int>) -> Bool {
        var colons = 0
        for index in range {
            let byte = bytes[index]
            if byte == 0x3A {
                colons += 1
            } else if !isHexDigit(byte) && byte != 0x2E {
                return false
            }
        }
        return colons >= 2
    }

    private func hasShortTLD(_ host: Range<Int>) -> Bool {
        var start = host.upperBound
        while bytes[start - 1] != 0x2E { start -= 1 }
        return Self.shortTLDs.contains(text(start..<host.upperBound))
    }

    private func isListed(_ host: Range<Int>) -> Bool {
        !domains.isEmpty && domains.listing(ofHost: text(host)[...]) != .unlisted
    }

    // MARK: - Bytes

    /// Where a URL whose authority ends at `authorityEnd` ends: past its port and path, without the
    /// punctuation that closes the sentence around it.
    private func urlEnd(host: Range<Int>, authorityEnd: Int) -> Int {
        var end = max(host.upperBound, authorityEnd)
        if end < bytes.count, bytes[end] == 0x3A {
            end += 1
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        }
        if end < bytes.count, bytes[end] == 0x2F || bytes[end] == 0x3F || bytes[end] == 0x23 {
            while end < bytes.count, isPathByte(bytes[end]) { end += 1 }
        }
        while end > host.upperBound, isClosingPunctuation(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// `range` without leading and trailing dots and hyphens.
    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var (start, end) = (range.lowerBound, range.upperBound)
        while start < end, bytes[start] == 0x2E || bytes[start] == 0x2D { start += 1 }
        while end > start, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D { end -= 1 }
        return start..<end
    }

    private func hasPrefix(_ prefix: StaticString, at index: Int) -> Bool {
        guard index + prefix.utf8CodeUnitCount <= bytes.count else { return false }
        for offset in 0..<prefix.utf8CodeUnitCount where bytes[index + offset] != prefix.utf8Start[offset] {
            return false
        }
        return true
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// A byte of a host name: an ASCII letter or digit, `-` or `.`.
@inline(__always) func isHostByte(_ byte: UInt8) -> Bool {
    byte &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x2D || byte == 0x2E
}

/// A byte of a URL's authority: printable ASCII but the characters that end it or a URL in text.
@inline(__always) private func isAuthorityByte(_ byte: UInt8) -> Bool {
    isPathByte(byte) && byte != 0x2F && byte != 0x3F && byte != 0x23
}

/// A byte of a URL's path: printable ASCII but quotes, angle brackets and the backtick.
@inline(__always) private func isPathByte(_ byte: UInt8) -> Bool {
    byte > 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x27 && byte != 0x3C && byte != 0x3E && byte != 0x60
        && byte != 0x5C
}

/// Punctuation that ends a sentence or closes brackets after a URL: `.`, `,`, `;`, `:`, `!`, `?`, `)`, `]`, `}`.
@inline(__always) private func isClosingPunctuation(_ byte: UInt8) -> Bool {
    byte == 0x2E || byte == 0x2C || byte == 0x3B || byte == 0x3A || byte == 0x21 || byte == 0x3F || byte == 0x29
        || byte == 0x5D || byte == 0x7D
}
