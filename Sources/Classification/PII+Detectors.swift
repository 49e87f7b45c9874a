/// Normalized bytes with the shape checks of each PII detector.
///
/// Reading past either end gives 0, so a detector can look ahead without bounds checks of its own. Every
/// detector takes the offset where a token starts and returns the offset one past its end, or `nil`.
struct PIIBytes {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inline(__always) subscript(_ index: Int) -> UInt8 {
        index >= 0 && index < bytes.count ? bytes[index] : 0
    }

    /// The offset of the first ASCII digit at or after `index`, or the count if there is none.
    func firstDigit(from index: Int) -> Int {
        var index = index
        if let base = bytes.baseAddress {
            // Eight bytes at a time: bit twiddling hacks' `hasbetween` sets the high bit of exactly the bytes
            // between 0x2F and 0x3A (no carry crosses a byte), so the lowest set bit is the first digit.
            // https://graphics.stanford.edu/~seander/bithacks.html#HasBetweenInWord
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let low = word & (ones &* 0x7F)
                let digits = (ones &* (127 + 0x3A) &- low) & ~word & (low &+ ones &* (127 - 0x2F)) & (ones &* 0x80)
                if digits != 0 { return index + digits.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
        return index
    }

    // MARK: Boundaries

    /// Whether a number may start at `start`: not inside a word, a decimal, a path or a longer code.
    func startsNumber(at start: Int) -> Bool {
        let previous = self[start - 1]
        switch previous {
        case 0x2E, 0x5F, 0x2F, 0x5C:  // . _ / \  (decimals, identifiers, paths)
            return false
        case 0x2C:  // , after a digit: thousands (`1,250`)
            return !isDigit(self[start - 2])
        case 0x2D:  // - after a letter or digit: a longer code (`ab-415-555-2671`)
            return !isAlphanumeric(self[start - 2])
        default:
            return !isAlphanumeric(previous)
        }
    }

    /// Whether a token may end at `end`: no letter or digit follows, nor `.`, `,` or `-` and then one.
    func endsToken(at end: Int) -> Bool {
        let next = self[end]
        if isAlphanumeric(next) { return false }
        if next == 0x2E || next == 0x2C || next == 0x2D { return !isAlphanumeric(self[end + 1]) }
        return true
    }

    /// How many digits start at `index` (at most `limit + 1`, enough to tell "too many").
    @inline(__always) func digits(at index: Int, limit: Int = 5) -> Int {
        var count = 0
        while count <= limit, isDigit(self[index + count]) { count += 1 }
        return count
    }

    /// The value of the `count` digits at `index`.
    func value(at index: Int, count: Int) -> Int {
        var value = 0
        for offset in 0..<count { value = value * 10 + Int(self[index + offset] &- 0x30) }
        return value
    }

    // MARK: Payment cards

    /// A payment card number: 13–19 digits, alone or in groups of 3–6 split by single spaces or dashes (one
    /// kind throughout), passing Luhn with an issuer prefix of the right length. The longest valid prefix
    /// that ends a group wins, so `4111 1111 1111 1111 2024` still finds the card.
    func card(at start: Int) -> Int? {
        var index = start
        var count = 0
        var separator: UInt8 = 0
        var best: Int?
        while true {
            let group = digits(at: index, limit: 19)
            count += group
            index += group
            guard count <= 19 else { break }
            if count >= 13, endsToken(at: index) || self[index] == separator,
                PIIValidation.isCardNumber(self, start..<index)
            {
                best = index
            }
            let next = self[index]
            guard next == 0x20 || next == 0x2D, separator == 0 || next == separator, isDigit(self[index + 1]) else {
                break
            }
            // Grouped: every group is 3–6 digits long.
            if group < 3 || group > 6 { break }
            separator = next
            index += 1
            let following = digits(at: index, limit: 6)
            if following < 3 || following > 6 { break }
        }
        return best
    }

    // MARK: Social security numbers

    /// A US social security number `AAA-GG-SSSS` (dashes or spaces, one kind), not area 000, 666 or
    /// 900–999, group 00 or serial 0000 (never issued).
    func ssn(at start: Int) -> Int? {
        let separator = self[start + 3]
        guard digits(at: start) == 3, separator == 0x2D || separator == 0x20,
            digits(at: start + 4) == 2, self[start + 6] == separator, digits(at: start + 7) == 4,
            endsToken(at: start + 11)
        else { return nil }
        let area = value(at: start, count: 3)
        let group = value(at: start + 4, count: 2)
        let serial = value(at: start + 7, count: 4)
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        return start + 11
    }

    // MARK: Phones

    /// A North American number: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, `415 555 2671`, optionally
    /// after `+1` or `1` and a separator. Area code and exchange start with 2–9.
    func nanpPhone(at start: Int) -> Int? {
        var index = start
        if self[index] == 0x2B {
            guard self[index + 1] == 0x31 else { return nil }
            index += 2
            if isPhoneSeparator(self[index]) { index += 1 }
        } else if self[index] == 0x31, isPhoneSeparator(self[index + 1]) {
            index += 2
        }
        var separator: UInt8 = 0
        if self[index] == 0x28 {
            guard digits(at: index + 1) == 3, self[index + 4] == 0x29 else { return nil }
            guard self[index + 1] >= 0x32 else { return nil }
            index += 5
            if self[index] == 0x20 { index += 1 }
        } else {
            guard digits(at: index) == 3, self[index] >= 0x32 else { return nil }
            separator = self[index + 3]
            guard isPhoneSeparator(separator) else { return nil }
            index += 4
        }
        guard digits(at: index) == 3, self[index] >= 0x32 else { return nil }
        let second = self[index + 3]
        guard isPhoneSeparator(second), separator == 0 || second == separator else { return nil }
        index += 4
        guard digits(at: index) == 4, endsToken(at: index + 4) else { return nil }
        return index + 4
    }

    /// An international number in E.164 shape: `+`, a country code not starting with 0, then 8–15 digits in
    /// all, with optional single spaces or dashes between them (`+44 20 7946 0958`, `+4915112345678`).
    func e164Phone(at start: Int) -> Int? {
        guard self[start] == 0x2B, self[start + 1] &- 0x31 < 9 else { return nil }
        var index = start + 1
        var count = 0
        var best: Int?
        while true {
            let group = digits(at: index, limit: 15)
            count += group
            index += group
            guard count <= 15 else { break }
            if count >= 8, endsToken(at: index) || isPhoneSeparator(self[index]) { best = index }
            let next = self[index]
            guard next == 0x20 || next == 0x2D, isDigit(self[index + 1]) else { break }
            index += 1
        }
        return best
    }

    @inline(__always) private func isPhoneSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x2D || byte == 0x2E
    }

    // MARK: IP addresses

    /// An IPv4 dotted quad: four octets 0–255 without leading zeros. Its start was checked not to follow a
    /// letter or `.` (`v1.2.3.4`), and its end not to run on into a fifth part.
    func ipv4(at start: Int) -> Int? {
        var index = start
        for part in 0..<4 {
            if part > 0 {
                guard self[index] == 0x2E else { return nil }
                index += 1
            }
            let count = digits(at: index, limit: 3)
            guard count >= 1, count <= 3, count == 1 || self[index] != 0x30 else { return nil }
            guard value(at: index, count: count) <= 255 else { return nil }
            index += count
        }
        return endsToken(at: index) ? index : nil
    }

    /// An IPv6 address: eight groups of 1–4 hex digits, or fewer with one `::`, optionally ending in a
    /// dotted quad (`::ffff:192.0.2.1`). A compressed address needs three groups or a digit, so `a::b`
    /// (C++) is not one; `10:30:45` (a time) and MAC addresses have no `::` and too few groups.
    func ipv6(at start: Int) -> Int? {
        if start > 0, isAlphanumeric(self[start - 1]) || self[start - 1] == 0x2E { return nil }
        var index = start
        var groups = 0
        var compressed = false
        var hasDigit = false
        if self[index] == 0x3A {
            guard self[index + 1] == 0x3A else { return nil }
            compressed = true
            index += 2
        }
        while true {
            var count = 0
            while isHexDigit(self[index + count]) {
                hasDigit = hasDigit || isDigit(self[index + count])
                count += 1
            }
            if count == 0 { break }
            if self[index + count] == 0x2E {
                guard let end = ipv4(at: index) else { return nil }
                groups += 2
                index = end
                break
            }
            guard count <= 4 else { return nil }
            groups += 1
            index += count
            guard self[index] == 0x3A else { break }
            if self[index + 1] == 0x3A {
                guard !compressed else { return nil }
                compressed = true
                index += 2
            } else if isHexDigit(self[index + 1]) {
                index += 1
            } else {
                break
            }
        }
        guard compressed ? groups <= 7 && (groups >= 3 || hasDigit) : groups == 8 else { return nil }
        guard !isAlphanumeric(self[index]), self[index] != 0x3A else { return nil }
        return index
    }

    // MARK: Email

    /// The email address around the `@` at `at`: a local part of letters, digits and `._%+-`, and a domain of
    /// two or more labels whose last (the TLD) is two or more letters.
    func email(around at: Int) -> Range<Int>? {
        var start = at
        while start > 0, isLocalPartByte(self[start - 1]) { start -= 1 }
        while start < at, self[start] == 0x2E { start += 1 }
        guard start < at, self[at - 1] != 0x2E else { return nil }
        var end = at + 1
        while isAlphanumeric(self[end]) || self[end] == 0x2D || self[end] == 0x2E { end += 1 }
        while end > at + 1, self[end - 1] == 0x2E || self[end - 1] == 0x2D { end -= 1 }
        // Labels: none empty, none starting or ending with `-`, at least two.
        var labels = 0
        var labelStart = at + 1
        var tldIsLetters = true
        for index in (at + 1)...end {
            if index == end || self[index] == 0x2E {
                guard index > labelStart, self[labelStart] != 0x2D, self[index - 1] != 0x2D else { return nil }
                labels += 1
                tldIsLetters = (labelStart..<index).allSatisfy { isLowercaseLetter(self[$0]) }
                if index == end { break }
                labelStart = index + 1
            }
        }
        guard labels >= 2, tldIsLetters, end - labelStart >= 2 else { return nil }
        return start..<end
    }

    @inline(__always) private func isLocalPartByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D
    }

    // MARK: IBAN

    /// An IBAN: two letters, two digits, then 11–30 letters or digits, unbroken or in groups of four split by
    /// single spaces, with a valid mod-97 check and the length its country requires (for the countries
    /// `PIIValidation.ibanLength` knows).
    func iban(at start: Int) -> Int? {
        guard isLowercaseLetter(self[start]), isLowercaseLetter(self[start + 1]), isDigit(self[start + 2]),
            isDigit(self[start + 3])
        else { return nil }
        var index = start + 4
        var best: Int?
        if self[index] == 0x20 {
            // Grouped: `gb82 west 1234 5698 7654 32`; every group but the last has four characters.
            var count = 4
            while self[index] == 0x20, isAlphanumeric(self[index + 1]) {
                var group = 0
                while group < 5, isAlphanumeric(self[index + 1 + group]) { group += 1 }
                guard group <= 4 else { break }
                index += 1 + group
                count += group
                guard count <= 34 else { break }
                if count >= 15, endsToken(at: index), PIIValidation.isIBAN(self, start..<index, length: count) {
                    best = index
                }
                if group < 4 { break }
            }
        } else {
            while isAlphanumeric(self[index]) { index += 1 }
            let count = index - start
            if (15...34).contains(count), endsToken(at: index), PIIValidation.isIBAN(self, start..<index, length: count)
            {
                best = index
            }
        }
        return best
    }

    // MARK: Crypto

    /// An Ethereum address: `0x` and exactly 40 hex digits. (Its EIP-55 mixed-case checksum needs Keccak-256
    /// and is not checked.)
    func ethereumAddress(at start: Int) -> Int? {
        guard self[start] == 0x30, self[start + 1] == 0x78 else { return nil }
        var index = start + 2
        while isHexDigit(self[index]) { index += 1 }
        return index - start == 42 && endsToken(at: index) ? index : nil
    }

    /// A Bitcoin segwit address: `bc1`, then bech32 characters with a valid bech32 (witness version 0) or
    /// bech32m (versions 1–16) checksum and a witness program of a valid length.
    func bech32Address(at start: Int) -> Int? {
        guard self[start] == 0x62, self[start + 1] == 0x63, self[start + 2] == 0x31 else { return nil }
        var index = start + 3
        while PIIValidation.bech32Value(self[index]) != nil { index += 1 }
        guard (14...90).contains(index - start), endsToken(at: index),
            PIIValidation.isSegwitAddress(self, data: (start + 3)..<index)
        else { return nil }
        return index
    }

    // MARK: Street addresses

    /// Whether the word at `range` is a street suffix (`street`, `st`, `avenue`, `ave`, …).
    func isStreetSuffix(_ range: Range<Int>) -> Bool {
        guard range.count >= 2, range.count <= 9 else { return false }
        for suffix in Self.streetSuffixes where suffix.count == range.count {
            if suffix.indices.allSatisfy({ suffix[$0] == self[range.lowerBound + $0] }) { return true }
        }
        return false
    }

    private static let streetSuffixes: [[UInt8]] = [
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court",
        "ct", "way", "place", "pl",
    ].map { Array($0.utf8) }
}
