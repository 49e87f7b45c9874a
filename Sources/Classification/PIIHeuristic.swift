internal import Glibc
import Moderation

/// What kind of personal data a finding is, and the placeholder `--redact` writes over it.
public enum PIIKind: String, Sendable, CaseIterable {
    case email, phone, card, iban, ssn, ip, crypto, address

    /// The text `--redact` writes over a finding of this kind: `[EMAIL]`, `[PHONE]`, `[CARD]`, ….
    public var placeholder: String {
        switch self {
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        case .card: "[CARD]"
        case .iban: "[IBAN]"
        case .ssn: "[SSN]"
        case .ip: "[IP]"
        case .crypto: "[CRYPTO]"
        case .address: "[ADDRESS]"
        }
    }

    /// The rule id findings of this kind cite: `pii.email`, `pii.phone`, ….
    public var rule: String {
        switch self {
        case .email: "pii.email"
        case .phone: "pii.phone"
        case .card: "pii.card"
        case .iban: "pii.iban"
        case .ssn: "pii.ssn"
        case .ip: "pii.ip"
        case .crypto: "pii.crypto"
        case .address: "pii.address"
        }
    }

    /// How strongly one finding of this kind indicates personal data, from 0 to 1.
    ///
    /// Validated numbers that identify one person or account (cards, SSNs, IBANs) weigh most; contact
    /// details people share on purpose (email, phone) and IP addresses weigh least.
    public var weight: Double {
        switch self {
        case .email, .phone, .ip: 0.3
        case .card, .ssn: 0.9
        case .iban: 0.8
        case .crypto: 0.6
        case .address: 0.4
        }
    }
}

/// Finds personal data: email addresses, phone numbers, payment cards, IBANs, US social security numbers,
/// IP addresses, cryptocurrency addresses and street addresses.
///
/// Every detector validates what it finds (Luhn and an issuer prefix for cards, mod-97 for IBANs, the
/// base58check or bech32 checksum for Bitcoin addresses, octet ranges for IPv4), so a number of the right
/// length alone is never a finding. There is no regex engine here: the normalized bytes are scanned by hand,
/// and a post without a digit, an `@` or a `:` is ruled out by one vectorized pass over it.
public struct PIIHeuristic: Heuristic {
    public let name = "pii"

    public init() {}

    /// Returns one signal per finding: category `pii`, rule `pii.<kind>`, the kind's weight.
    public func signals(in input: borrowing ClassifierInput) -> [Signal] {
        spans(in: input).map { Signal(rule: $0.kind.rule, category: "pii", weight: $0.kind.weight, span: $0.span) }
    }

    /// The PII spans of a text, for redaction: kind and code-point span in the original, in text order and
    /// never overlapping.
    public func spans(in input: borrowing ClassifierInput) -> [(kind: PIIKind, span: Range<Int>)] {
        let gate = input.normalized.bytes.withUnsafeBufferPointer(PIIGate.init(bytes:))
        guard gate.hasCandidates else { return [] }
        let normalized = input.normalized
        var scanner = PIIScanner(original: input.original, isASCII: input.isASCII, normalized: normalized)
        let found = normalized.bytes.withUnsafeBufferPointer { bytes in scanner.findings(in: bytes, gate: gate) }
        return found.map { (kind: $0.kind, span: normalized.originalRange(forBytes: $0.bytes)) }
    }
}

// MARK: - Gate

/// What one pass over the normalized bytes says is worth scanning for.
struct PIIGate {
    /// Whether the text has an ASCII digit: every detector but email and IPv6 needs one.
    var hasDigit: Bool
    /// Whether the text has an `@` (email).
    var hasAt: Bool
    /// Whether the text has a `:` (IPv6).
    var hasColon: Bool

    var hasCandidates: Bool { hasDigit || hasAt || hasColon }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        // Eight bytes at a time in a UInt64 (SWAR): this pass is the whole cost of a post without PII.
        // Bit twiddling hacks, "Determine if a word has a byte equal to n" and "… between m and n":
        // https://graphics.stanford.edu/~seander/bithacks.html#HasBetweenInWord
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = ones &* 0x80
        let lows: UInt64 = ones &* 0x7F
        var digits: UInt64 = 0
        var ats: UInt64 = 0
        var colons: UInt64 = 0
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let low = word & lows
                // A byte strictly between 0x2F and 0x3A: a digit.
                digits |= (ones &* (127 + 0x3A) &- low) & ~word & (low &+ ones &* (127 - 0x2F)) & highs
                let at = word ^ (ones &* 0x40)
                ats |= (at &- ones) & ~at & highs
                let colon = word ^ (ones &* 0x3A)
                colons |= (colon &- ones) & ~colon & highs
                index += 8
            }
        }
        var tail: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- 0x30 < 10 { tail |= 1 }
            if byte == 0x40 { tail |= 2 }
            if byte == 0x3A { tail |= 4 }
            index += 1
        }
        hasDigit = digits != 0 || tail & 1 != 0
        hasAt = ats != 0 || tail & 2 != 0
        hasColon = colons != 0 || tail & 4 != 0
    }
}

// MARK: - Scanner

/// Scans normalized bytes (lower case, NFKC) for PII; offsets are UTF-8 byte offsets into those bytes.
struct PIIScanner {
    /// The original text, for the checks case matters to (base58, capitalised street names).
    let original: UnsafeBufferPointer<UInt8>
    /// Whether `original` is ASCII, so code point `i` is byte `i`.
    let isASCII: Bool
    /// The normalized text, for its map back to the original.
    let normalized: NormalizedText

    init(original: UnsafeBufferPointer<UInt8>, isASCII: Bool, normalized: NormalizedText) {
        self.original = original
        self.isASCII = isASCII
        self.normalized = normalized
        cursor = CodePointCursor(text: original, isASCII: isASCII)
    }

    /// One finding: its kind and byte range in the normalized text.
    struct Finding {
        var kind: PIIKind
        var bytes: Range<Int>
    }

    /// Returns the findings in `bytes`, in order and without overlaps (the earliest, then the longest, wins).
    mutating func findings(in bytes: UnsafeBufferPointer<UInt8>, gate: PIIGate) -> [Finding] {
        var found: [Finding] = []
        if gate.hasDigit { scanTokens(bytes, into: &found) }
        if gate.hasAt { scanEmails(bytes, into: &found) }
        if gate.hasColon { scanIPv6(bytes, into: &found) }
        guard found.count > 1 else { return found }
        found.sort {
            $0.bytes.lowerBound < $1.bytes.lowerBound
                || ($0.bytes.lowerBound == $1.bytes.lowerBound && $0.bytes.count > $1.bytes.count)
        }
        var kept: [Finding] = []
        var end = 0
        for finding in found where finding.bytes.lowerBound >= end {
            kept.append(finding)
            end = finding.bytes.upperBound
        }
        return kept
    }

    /// Tries the detectors that need a digit at every token start (a byte not preceded by a letter or digit).
    ///
    /// Every one of them has a digit within its first four bytes (`0x`, `(4`, `+4`, `gb82`, `bc1`), and
    /// each is tried only where the digits ahead have a shape it could match.
    private mutating func scanTokens(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [Finding]) {
        let text = PIIBytes(bytes)
        let count = bytes.count
        var index = 0
        var untried = 0  // token starts before this were tried, or lie inside a finding
        while true {
            index = text.firstDigit(from: index)
            guard index < count else { return }
            var matched = false
            for start in max(untried, index - 2)...index where start == 0 || !isAlphanumeric(bytes[start - 1]) {
                let first = bytes[start]
                guard isAlphanumeric(first) || first == 0x28 || first == 0x2B else { continue }
                if let finding = token(at: start, first: first, in: text) {
                    found.append(finding)
                    index = finding.bytes.upperBound
                    matched = true
                    break
                }
            }
            // No token starts inside a run of letters and digits: go on after it.
            if !matched {
                while index < count, isAlphanumeric(bytes[index]) { index += 1 }
            }
            untried = index
        }
    }

    /// The finding that starts at token start `start`, if any; the most specific detector goes first.
    private mutating func token(at start: Int, first: UInt8, in text: PIIBytes) -> Finding? {
        func finding(_ kind: PIIKind, _ end: Int?) -> Finding? { end.map { Finding(kind: kind, bytes: start..<$0) } }
        if isDigit(first) {
            guard text.startsNumber(at: start) else { return nil }
            let run = text.digits(at: start, limit: 19)
            let next = text[start + run]
            let separated = next == 0x20 || next == 0x2D
            if run == 1, first == 0x30, next == 0x78 { return finding(.crypto, text.ethereumAddress(at: start)) }
            if first == 0x31 || first == 0x33, isAlphanumeric(next), let end = base58Address(at: start, in: text) {
                return finding(.crypto, end)
            }
            if run >= 13 || (separated && run >= 3 && run <= 6), let end = text.card(at: start) {
                return finding(.card, end)
            }
            if run == 3 || (run == 1 && first == 0x31) {
                if separated, let end = text.ssn(at: start) { return finding(.ssn, end) }
                if separated || next == 0x2E || next == 0x28, let end = text.nanpPhone(at: start) {
                    return finding(.phone, end)
                }
            }
            if run <= 3, next == 0x2E, let end = text.ipv4(at: start) { return finding(.ip, end) }
            if run <= 5, next == 0x20 || isLowercaseLetter(next) {
                return finding(.address, streetAddress(at: start, in: text))
            }
            return nil
        }
        switch first {
        case 0x28:  // (
            return isDigit(text[start + 1]) ? finding(.phone, text.nanpPhone(at: start)) : nil
        case 0x2B:  // +
            guard isDigit(text[start + 1]) else { return nil }
            return finding(.phone, text.nanpPhone(at: start) ?? text.e164Phone(at: start))
        default:
            // A letter: an IBAN (`gb82…`) or a bech32 address (`bc1…`) has a digit third.
            guard isDigit(text[start + 2]) else { return nil }
            if first == 0x62, let end = text.bech32Address(at: start) { return finding(.crypto, end) }
            return finding(.iban, text.iban(at: start))
        }
    }

    /// Finds `local@domain.tld` around every `@`.
    private func scanEmails(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [Finding]) {
        let text = PIIBytes(bytes)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x40, let range = text.email(around: index) {
                found.append(Finding(kind: .email, bytes: range))
                index = range.upperBound
            } else {
                index += 1
            }
        }
    }

    /// Finds IPv6 addresses: runs of hex digits and colons, tried once from the start of each run.
    private func scanIPv6(_ bytes: UnsafeBufferPointer<UInt8>, into found: inout [Finding]) {
        let text = PIIBytes(bytes)
        var index = 0
        while index < bytes.count {
            // memchr(3) is vectorized in glibc; colons are rare.
            guard let base = bytes.baseAddress, let colon = memchr(base + index, 0x3A, bytes.count - index) else {
                return
            }
            index = UnsafeRawPointer(colon) - UnsafeRawPointer(base)
            // An address has a hex digit or another `:` beside every colon.
            guard bytes[index] == 0x3A,
                isHexDigit(text[index + 1]) || text[index + 1] == 0x3A || isHexDigit(text[index - 1])
            else {
                index += 1
                continue
            }
            var start = index
            while start > 0, isHexDigit(bytes[start - 1]) || bytes[start - 1] == 0x3A { start -= 1 }
            var runEnd = index
            while runEnd < bytes.count, isHexDigit(bytes[runEnd]) || bytes[runEnd] == 0x3A || bytes[runEnd] == 0x2E {
                runEnd += 1
            }
            if let end = text.ipv6(at: start) { found.append(Finding(kind: .ip, bytes: start..<end)) }
            index = max(runEnd, index + 1)
        }
    }

    // MARK: Checks that read the original

    /// The end of a Bitcoin base58check address (`1…` or `3…`) starting at `start`.
    ///
    /// Base58 is case-sensitive and the normalized text is lower case, so the checksum is computed on the
    /// original characters; an address written with anything but ASCII there is not one.
    private mutating func base58Address(at start: Int, in text: PIIBytes) -> Int? {
        var end = start
        while isAlphanumeric(text[end]) { end += 1 }
        guard (26...35).contains(end - start), text.endsToken(at: end) else { return nil }
        let codePoints = normalized.originalRange(forBytes: start..<end)
        guard codePoints.count == end - start else { return nil }
        let offset = originalByteOffset(ofCodePoint: codePoints.lowerBound)
        guard offset + codePoints.count <= original.count else { return nil }
        let characters = UnsafeBufferPointer(rebasing: original[offset..<(offset + codePoints.count)])
        return PIIValidation.isBase58CheckAddress(characters) ? end : nil
    }

    /// The end of a street address starting with the house number at `start`: 1–5 digits (and an optional
    /// letter, `221b`), then one to four words capitalised in the original and a capitalised street suffix.
    private mutating func streetAddress(at start: Int, in text: PIIBytes) -> Int? {
        var index = start
        while isDigit(text[index]) { index += 1 }
        guard index - start <= 5 else { return nil }
        if isLowercaseLetter(text[index]) { index += 1 }
        guard text[index] == 0x20 else { return nil }
        for word in 0..<5 {
            guard text[index] == 0x20 else { return nil }
            let wordStart = index + 1
            var wordEnd = wordStart
            while isWordByte(text[wordEnd]) { wordEnd += 1 }
            guard wordEnd > wordStart, !isDigit(text[wordEnd]), isCapitalized(atByte: wordStart) else { return nil }
            if word > 0, text.isStreetSuffix(wordStart..<wordEnd) { return wordEnd }
            index = wordEnd
        }
        return nil
    }

    /// Whether the original character behind normalized byte `index` is upper case.
    private mutating func isCapitalized(atByte index: Int) -> Bool {
        let codePoint = normalized.originalRange(forBytes: index..<(index + 1)).lowerBound
        let offset = originalByteOffset(ofCodePoint: codePoint)
        guard offset < original.count else { return false }
        let lead = original[offset]
        if lead < 0x80 { return lead &- 0x41 < 26 }
        var decoder = UTF8()
        var iterator = original[offset...].makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isUppercase
    }

    /// Byte offsets of the original text's code points.
    private var cursor: CodePointCursor

    private mutating func originalByteOffset(ofCodePoint index: Int) -> Int {
        cursor.byteOffset(ofCodePoint: index)
    }
}

// MARK: - Bytes

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
@inline(__always) func isLowercaseLetter(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
@inline(__always) func isAlphanumeric(_ byte: UInt8) -> Bool {
    byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
}
@inline(__always) func isHexDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 || byte &- 0x61 < 6 }
/// A byte of a word in a street name: a letter (non-ASCII letters included), an apostrophe or a hyphen.
@inline(__always) func isWordByte(_ byte: UInt8) -> Bool {
    isLowercaseLetter(byte) || byte >= 0x80 || byte == 0x27 || byte == 0x2D
}
