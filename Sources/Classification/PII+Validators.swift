import Crypto

/// The checksums and registries behind each PII detector, so a finding is never just "a number this long".
enum PIIValidation {
    // MARK: Payment cards

    /// Whether the digits in `range` (separators skipped) pass Luhn and carry an issuer prefix of a length
    /// that issuer uses: Visa, Mastercard, American Express, Discover, JCB or Diners Club.
    static func isCardNumber(_ text: PIIBytes, _ range: Range<Int>) -> Bool {
        var number: UInt64 = 0
        var count = 0
        var sum = 0
        // Luhn from the right: double every second digit. See ISO/IEC 7812-1, annex B.
        for index in range.reversed() where isDigit(text[index]) {
            var digit = Int(text[index] &- 0x30)
            if count & 1 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            count += 1
        }
        guard sum % 10 == 0 else { return false }
        for index in range where isDigit(text[index]) { number = number * 10 + UInt64(text[index] &- 0x30) }
        return isIssued(number, digits: count)
    }

    /// Whether a card number of `digits` digits starts with a prefix an issuer uses for that length.
    static func isIssued(_ number: UInt64, digits: Int) -> Bool {
        var scale: UInt64 = 1
        for _ in 0..<(digits - 4) { scale *= 10 }
        let prefix4 = Int(number / scale)
        let prefix3 = prefix4 / 10
        let prefix2 = prefix4 / 100
        switch digits {
        case 13: return prefix4 / 1000 == 4
        case 14: return prefix2 == 36 || prefix2 == 38 || (300...305).contains(prefix3)
        case 15: return prefix2 == 34 || prefix2 == 37
        default:
            if digits == 16, (51...55).contains(prefix2) || (2221...2720).contains(prefix4) { return true }
            if prefix4 / 1000 == 4, digits == 16 || digits == 19 { return true }
            return prefix4 == 6011 || prefix2 == 65 || (644...649).contains(prefix3)  // Discover, 16–19
                || (3528...3589).contains(prefix4)  // JCB, 16–19
                || prefix2 == 36 || prefix2 == 38 || (300...305).contains(prefix3)  // Diners Club, 14–19
        }
    }

    // MARK: IBAN

    /// IBAN lengths of some common countries (ISO 13616 registry); other countries may use 15–34 characters.
    static func ibanLength(country first: UInt8, _ second: UInt8) -> Int? {
        switch (first, second) {
        case (0x64, 0x65), (0x67, 0x62): 22  // DE, GB
        case (0x66, 0x72), (0x69, 0x74): 27  // FR, IT
        case (0x65, 0x73): 24  // ES
        case (0x6E, 0x6C): 18  // NL
        default: nil
        }
    }

    /// Whether the IBAN in `range` (`length` characters, spaces skipped) passes the ISO 13616 mod-97 check:
    /// move the first four characters to the end, read letters as 10–35, and the number is 1 modulo 97.
    static func isIBAN(_ text: PIIBytes, _ range: Range<Int>, length: Int) -> Bool {
        let start = range.lowerBound
        if let expected = ibanLength(country: text[start], text[start + 1]), expected != length { return false }
        var remainder = 0
        func add(_ byte: UInt8) {
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte &- 0x61) + 10) % 97
            }
        }
        for index in (start + 4)..<range.upperBound where text[index] != 0x20 { add(text[index]) }
        for index in start..<(start + 4) { add(text[index]) }
        return remainder == 1
    }

    // MARK: Bitcoin

    /// The value of a bech32 data character (BIP 173), or `nil` for any other byte.
    @inline(__always) static func bech32Value(_ byte: UInt8) -> UInt32? {
        guard byte < 0x80 else { return nil }
        let value = bech32Values[Int(byte)]
        return value < 32 ? UInt32(value) : nil
    }

    private static let bech32Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 128)
        for (value, character) in "qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// Whether the bech32 data part at `data` (after `bc1`) is a valid segwit address: BIP 173's checksum
    /// for witness version 0 with a 20- or 32-byte program, BIP 350's bech32m for versions 1–16 with 2–40.
    static func isSegwitAddress(_ text: PIIBytes, data: Range<Int>) -> Bool {
        guard data.count >= 7 else { return false }
        // The checksum covers the human-readable part `bc` expanded: high bits, a 0, low bits.
        var checksum: UInt32 = 1
        for value: UInt32 in [3, 3, 0, 2, 3] { checksum = polymod(checksum, value) }
        for index in data {
            guard let value = bech32Value(text[index]) else { return false }
            checksum = polymod(checksum, value)
        }
        guard let version = bech32Value(text[data.lowerBound]), version <= 16 else { return false }
        guard checksum == (version == 0 ? 1 : 0x2BC8_30A3) else { return false }
        // The program: 5-bit groups between the version and the 6-character checksum, read as bytes, with
        // at most 4 bits of zero padding.
        let bits = (data.count - 7) * 5
        let length = bits / 8
        guard bits % 8 <= 4, (2...40).contains(length), version != 0 || length == 20 || length == 32 else {
            return false
        }
        let padding = bits % 8
        guard let last = bech32Value(text[data.upperBound - 7]) else { return false }
        return last & ((1 << padding) - 1) == 0
    }

    /// One step of the bech32 checksum, BIP 173's `bech32_polymod`: a BCH code over GF(32), not cryptography.
    @inline(__always) static func polymod(_ checksum: UInt32, _ value: UInt32) -> UInt32 {
        let top = checksum >> 25
        var next = (checksum & 0x1FF_FFFF) << 5 ^ value
        if top & 1 != 0 { next ^= 0x3B6A_57B2 }
        if top & 2 != 0 { next ^= 0x2650_8E6D }
        if top & 4 != 0 { next ^= 0x1EA1_19FA }
        if top & 8 != 0 { next ^= 0x3D42_33DD }
        if top & 16 != 0 { next ^= 0x2A14_62B3 }
        return next
    }

    private static let base58Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 128)
        for (value, character) in "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// Whether `characters` (the original, case intact) are a legacy Bitcoin address: base58 decoding to 25
    /// bytes, version 0x00 for `1…` (P2PKH) or 0x05 for `3…` (P2SH), and the last four bytes the start of
    /// the double SHA-256 of the first 21.
    static func isBase58CheckAddress(_ characters: UnsafeBufferPointer<UInt8>) -> Bool {
        var decoded = [UInt8](repeating: 0, count: 25)
        for character in characters {
            guard character < 0x80, base58Values[Int(character)] < 58 else { return false }
            var carry = Int(base58Values[Int(character)])
            for index in decoded.indices.reversed() {
                carry += 58 * Int(decoded[index])
                decoded[index] = UInt8(truncatingIfNeeded: carry)
                carry >>= 8
            }
            guard carry == 0 else { return false }
        }
        // Each leading `1` stands for one leading zero byte, and only they may.
        let leadingOnes = characters.prefix { $0 == 0x31 }.count
        let leadingZeros = decoded.prefix { $0 == 0 }.count
        guard leadingOnes == leadingZeros else { return false }
        guard characters.first == 0x31 ? decoded[0] == 0x00 : decoded[0] == 0x05 else { return false }
        var hasher = SHA256()
        decoded.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<21])) }
        let first = hasher.finalize()
        hasher = SHA256()
        first.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let second = hasher.finalize()
        return second.withUnsafeBytes { digest in (0..<4).allSatisfy { digest[$0] == decoded[21 + $0] } }
    }
}
