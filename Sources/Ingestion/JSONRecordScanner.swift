/// Fields Triage reads from one JSON Lines record; every other field passes through untouched.
public struct RecordFields: Sendable, Equatable {
    /// `"id"` if a string; if a number, its literal text (e.g. `"123"`).
    public var id: String?
    /// `"body"` if a string, with escapes resolved.
    public var body: String?
    /// `"format"` if a string.
    public var format: String?
    /// `"author"."id"`, a string or a number's literal text.
    public var authorID: String?
    /// `"author"."role"` if a string.
    public var authorRole: String?
    /// `"author"."account_age_days"` if an integer number that fits in `Int`.
    public var authorAccountAgeDays: Int?
    /// `"to"."role"` if a string.
    public var recipientRole: String?
    /// `"surface"` if a string.
    public var surface: String?
    /// `"created_at"` if a string.
    public var createdAt: String?
    /// Where the `"body"` string value (quotes included) is in the line, in bytes, when `body` is set.
    public var bodyRange: Range<Int>?

    /// Creates a record with every field absent.
    public init() {}
}

/// Why a line is not a JSON object, and where.
public struct JSONScanError: Error, Equatable, Sendable {
    /// Byte offset into the line where the problem is.
    public var offset: Int
    /// What is wrong, e.g. "expected ':' after object key" or "unterminated string".
    public var reason: String

    /// Creates an error for the problem `reason` at byte `offset` of the line.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
}

/// Validates JSON Lines records and pulls out the fields Triage needs, straight from the bytes.
public enum JSONRecordScanner {
    /// The deepest nesting of arrays and objects accepted, counting the record's own object as level 1.
    static let maximumDepth = 512

    /// Validates that `line` is exactly one JSON object (RFC 8259; whitespace around it allowed) and extracts the
    /// known fields.
    ///
    /// Known fields are read only at the top level (and inside `author` / `to`); a known key whose value has another
    /// type leaves its field `nil`. With duplicate keys the last one wins.
    public static func scan(_ line: UnsafeBufferPointer<UInt8>) throws(JSONScanError) -> RecordFields {
        guard let base = line.baseAddress, !line.isEmpty else {
            throw JSONScanError(offset: 0, reason: "expected a JSON object")
        }
        var parser = Parser(base: base, end: line.count)
        var fields = RecordFields()
        parser.skipWhitespace()
        guard parser.i < parser.end, base[parser.i] == Byte.openBrace else {
            throw JSONScanError(offset: parser.i, reason: "expected a JSON object")
        }
        try parser.scanObject(.top, depth: 1, into: &fields)
        parser.skipWhitespace()
        guard parser.i == parser.end else {
            throw JSONScanError(offset: parser.i, reason: "trailing characters after the JSON object")
        }
        return fields
    }
}

// MARK: - Parser

extension JSONRecordScanner {
    // Nested rather than top-level so these helpers can never clash with other files in the module.
    fileprivate enum Byte {
        static let quote: UInt8 = 0x22
        static let backslash: UInt8 = 0x5C
        static let slash: UInt8 = 0x2F
        static let openBrace: UInt8 = 0x7B
        static let closeBrace: UInt8 = 0x7D
        static let openBracket: UInt8 = 0x5B
        static let closeBracket: UInt8 = 0x5D
        static let colon: UInt8 = 0x3A
        static let comma: UInt8 = 0x2C
        static let minus: UInt8 = 0x2D
        static let plus: UInt8 = 0x2B
        static let dot: UInt8 = 0x2E
        static let zero: UInt8 = 0x30
        static let nine: UInt8 = 0x39
        static let space: UInt8 = 0x20
        static let tab: UInt8 = 0x09
        static let lineFeed: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
    }

    /// Which object is being scanned decides which keys are captured.
    fileprivate enum Level {
        case top, author, recipient, skip
    }

    /// The destination of a member's value.
    fileprivate enum Field {
        case id, body, format, author, recipient, surface, createdAt
        case authorID, authorRole, authorAccountAgeDays
        case recipientRole
        case other
    }

    /// A string's content span (between the quotes) and whether it contains escapes.
    fileprivate struct StringSpan {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    fileprivate struct Parser {
        let base: UnsafePointer<UInt8>
        let end: Int
        var i = 0

        init(base: UnsafePointer<UInt8>, end: Int) {
            self.base = base
            self.end = end
        }

        // MARK: Structure

        @inline(__always)
        mutating func skipWhitespace() {
            while i < end {
                let b = base[i]
                guard b == Byte.space || b == Byte.lineFeed || b == Byte.carriageReturn || b == Byte.tab else { return }
                i += 1
            }
        }

        @inline(__always)
        func endOfInput() -> JSONScanError {
            JSONScanError(offset: end, reason: "unexpected end of input")
        }

        /// Scans the object starting at `i` (which is `{`), capturing known members according to `level`.
        mutating func scanObject(_ level: Level, depth: Int, into fields: inout RecordFields) throws(JSONScanError) {
            if depth > JSONRecordScanner.maximumDepth {
                throw JSONScanError(offset: i, reason: "nesting deeper than 512 levels")
            }
            i += 1
            skipWhitespace()
            guard i < end else { throw endOfInput() }
            if base[i] == Byte.closeBrace {
                i += 1
                return
            }
            while true {
                guard base[i] == Byte.quote else {
                    throw JSONScanError(offset: i, reason: "expected a string object key")
                }
                let key = try scanString()
                let field = level == .skip ? .other : match(key, level: level)
                skipWhitespace()
                guard i < end else { throw endOfInput() }
                guard base[i] == Byte.colon else {
                    throw JSONScanError(offset: i, reason: "expected ':' after object key")
                }
                i += 1
                skipWhitespace()
                guard i < end else { throw endOfInput() }
                try scanMember(field, depth: depth, into: &fields)
                if try endsContainer(closingWith: Byte.closeBrace, container: "object", item: "object member") {
                    return
                }
            }
        }

        /// Scans one member value at `i` (not at end of input) and stores it when `field` is a known one.
        @inline(__always)
        mutating func scanMember(_ field: Field, depth: Int, into fields: inout RecordFields) throws(JSONScanError) {
            switch field {
            case .other: try skipValue(depth: depth)
            case .id: fields.id = try idValue(depth: depth)
            case .body:
                let start = i
                fields.body = try stringValue(depth: depth)
                fields.bodyRange = fields.body == nil ? nil : start..<i
            case .format: fields.format = try stringValue(depth: depth)
            case .surface: fields.surface = try stringValue(depth: depth)
            case .createdAt: fields.createdAt = try stringValue(depth: depth)
            case .authorID: fields.authorID = try idValue(depth: depth)
            case .authorRole: fields.authorRole = try stringValue(depth: depth)
            case .authorAccountAgeDays: fields.authorAccountAgeDays = try integerValue(depth: depth)
            case .recipientRole: fields.recipientRole = try stringValue(depth: depth)
            case .author:
                // Last key wins: a later "author" replaces everything an earlier one set.
                fields.authorID = nil
                fields.authorRole = nil
                fields.authorAccountAgeDays = nil
                if base[i] == Byte.openBrace {
                    try scanObject(.author, depth: depth + 1, into: &fields)
                } else {
                    try skipValue(depth: depth)
                }
            case .recipient:
                fields.recipientRole = nil
                if base[i] == Byte.openBrace {
                    try scanObject(.recipient, depth: depth + 1, into: &fields)
                } else {
                    try skipValue(depth: depth)
                }
            }
        }

        mutating func scanArray(depth: Int) throws(JSONScanError) {
            if depth > JSONRecordScanner.maximumDepth {
                throw JSONScanError(offset: i, reason: "nesting deeper than 512 levels")
            }
            i += 1
            skipWhitespace()
            guard i < end else { throw endOfInput() }
            if base[i] == Byte.closeBracket {
                i += 1
                return
            }
            while true {
                try skipValue(depth: depth)
                if try endsContainer(closingWith: Byte.closeBracket, container: "array", item: "array element") {
                    return
                }
            }
        }

        /// After a member or element: consumes `,` (and returns `false`: more follows) or the closing
        /// bracket (and returns `true`), or throws at anything else, including a trailing comma.
        private mutating func endsContainer(
            closingWith close: UInt8,
            container: String,
            item: String
        ) throws(JSONScanError)
            -> Bool
        {
            skipWhitespace()
            guard i < end else { throw endOfInput() }
            let b = base[i]
            if b == close {
                i += 1
                return true
            }
            guard b == Byte.comma else {
                let closer = close == Byte.closeBrace ? "}" : "]"
                throw JSONScanError(offset: i, reason: "expected ',' or '\(closer)' after \(item)")
            }
            let comma = i
            i += 1
            skipWhitespace()
            guard i < end else { throw endOfInput() }
            if base[i] == close { throw JSONScanError(offset: comma, reason: "trailing comma in \(container)") }
            return false
        }

        /// Validates and skips any value at `i`, which sits inside a container at `depth`.
        mutating func skipValue(depth: Int) throws(JSONScanError) {
            guard i < end else { throw endOfInput() }
            switch base[i] {
            case Byte.quote: _ = try scanString()
            case Byte.openBrace:
                var unused = RecordFields()
                try scanObject(.skip, depth: depth + 1, into: &unused)
            case Byte.openBracket: try scanArray(depth: depth + 1)
            case Byte.minus, Byte.zero...Byte.nine: _ = try scanNumber()
            case 0x74: try expectLiteral(0x74_72_75_65, length: 4)  // "true"
            case 0x66: try expectLiteral(0x66_61_6C_73_65, length: 5)  // "false"
            case 0x6E: try expectLiteral(0x6E_75_6C_6C, length: 4)  // "null"
            default: throw JSONScanError(offset: i, reason: "expected a value")
            }
        }

        /// Checks that the bytes at `i` spell `literal` (big-endian packed ASCII) and skips them.
        @inline(__always)
        mutating func expectLiteral(_ literal: UInt64, length: Int) throws(JSONScanError) {
            guard end - i >= length else { throw JSONScanError(offset: i, reason: "invalid literal") }
            var packed: UInt64 = 0
            for k in 0..<length { packed = packed << 8 | UInt64(base[i + k]) }
            guard packed == literal else { throw JSONScanError(offset: i, reason: "invalid literal") }
            i += length
        }

        // MARK: Captured values

        /// A string value decoded, or nil (after validating) for any other type.
        @inline(__always)
        mutating func stringValue(depth: Int) throws(JSONScanError) -> String? {
            guard base[i] == Byte.quote else {
                try skipValue(depth: depth)
                return nil
            }
            return decode(try scanString())
        }

        /// A string value, or a number's literal text, or nil for any other type.
        mutating func idValue(depth: Int) throws(JSONScanError) -> String? {
            let b = base[i]
            if b == Byte.quote { return decode(try scanString()) }
            guard b == Byte.minus || (b >= Byte.zero && b <= Byte.nine) else {
                try skipValue(depth: depth)
                return nil
            }
            let start = i
            _ = try scanNumber()
            return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        }

        /// An integer number that fits in `Int`, or nil for fractions, exponents, overflow and other types.
        mutating func integerValue(depth: Int) throws(JSONScanError) -> Int? {
            let b = base[i]
            guard b == Byte.minus || (b >= Byte.zero && b <= Byte.nine) else {
                try skipValue(depth: depth)
                return nil
            }
            let start = i
            guard try scanNumber() else { return nil }
            let negative = base[start] == Byte.minus
            var value = 0
            for k in (negative ? start + 1 : start)..<i {
                let digit = Int(base[k] &- Byte.zero)
                // Accumulate negatively so Int.min is representable.
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(digit)
                if o1 || o2 { return nil }
                value = next
            }
            if negative { return value }
            return value == Int.min ? nil : -value
        }

        // MARK: Keys

        /// Which field a key names at `level`; escaped keys (rare) are decoded first so `"b\u006fdy"` still matches.
        func match(_ key: StringSpan, level: Level) -> Field {
            if !key.escaped {
                return Self.match(UnsafeBufferPointer(start: base + key.start, count: key.end - key.start), level)
            }
            var decoded = decode(key)
            return decoded.withUTF8 { Self.match($0, level) }
        }

        static func match(_ key: UnsafeBufferPointer<UInt8>, _ level: Level) -> Field {
            guard let p = key.baseAddress else { return .other }
            // Keys are compared as little-endian packed integers: one compare per 8 bytes instead of a byte loop.
            switch level {
            case .top:
                switch key.count {
                case 2:
                    let word = packed(p, 2)
                    return word == 0x6469 ? .id : word == 0x6F74 ? .recipient : .other  // "id", "to"
                case 4: return packed(p, 4) == 0x7964_6F62 ? .body : .other
                case 6:
                    let word = packed(p, 6)
                    return word == 0x7461_6D72_6F66 ? .format : word == 0x726F_6874_7561 ? .author : .other
                case 7: return packed(p, 7) == 0x65_6361_6672_7573 ? .surface : .other
                case 10:  // "created_" + "at"
                    return packed(p, 8) == 0x5F64_6574_6165_7263 && packed(p + 8, 2) == 0x7461 ? .createdAt : .other
                default: return .other
                }
            case .author:
                switch key.count {
                case 2: return packed(p, 2) == 0x6469 ? .authorID : .other
                case 4: return packed(p, 4) == 0x656C_6F72 ? .authorRole : .other
                case 16:  // "account_" + "age_days"
                    let isAge = packed(p, 8) == 0x5F74_6E75_6F63_6361 && packed(p + 8, 8) == 0x7379_6164_5F65_6761
                    return isAge ? .authorAccountAgeDays : .other
                default: return .other
                }
            case .recipient:
                return key.count == 4 && packed(p, 4) == 0x656C_6F72 ? .recipientRole : .other  // "role"
            case .skip:
                return .other
            }
        }

        /// The first `count` (at most 8) bytes at `p` as a little-endian integer.
        @inline(__always)
        static func packed(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
            var word: UInt64 = 0
            for k in 0..<count { word |= UInt64(p[k]) &<< (8 &* UInt64(k)) }
            return word
        }

        // MARK: Strings

        /// Validates the string starting at `i` (which is `"`) and moves past its closing quote.
        @inline(__always)
        mutating func scanString() throws(JSONScanError) -> StringSpan {
            let span = try string(at: i)
            i = span.end &+ 1
            return span
        }

        /// Validates the string whose opening quote is at `quote`.
        ///
        /// Non-mutating so the index stays in a register instead of going through `self` on every step.
        func string(at quote: Int) throws(JSONScanError) -> StringSpan {
            var j = quote &+ 1
            var escaped = false
            while true {
                // Eight bytes at a time until one is a quote, backslash, control character or non-ASCII; the lowest
                // flagged byte of the mask is exactly the first such byte, so jump straight to it.
                var found = false
                while end - j >= 8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                    let mask = Self.attentionMask(word)
                    if mask != 0 {
                        j &+= mask.trailingZeroBitCount &>> 3
                        found = true
                        break
                    }
                    j &+= 8
                }
                while !found && j < end {
                    let b = base[j]
                    guard b >= 0x20, b < 0x80, b != Byte.quote, b != Byte.backslash else { break }
                    j &+= 1
                }
                guard j < end else { throw JSONScanError(offset: quote, reason: "unterminated string") }
                let b = base[j]
                if b == Byte.quote {
                    return StringSpan(start: quote &+ 1, end: j, escaped: escaped)
                } else if b == Byte.backslash {
                    escaped = true
                    j = try validateEscape(at: j, quote: quote)
                } else if b < 0x20 {
                    throw JSONScanError(offset: j, reason: "control character in string")
                } else {
                    j = try validateUTF8Sequence(at: j)
                }
            }
        }

        /// The high bit set in each byte of `word` that is `"`, `\`, below 0x20 or 0x80 and up, exact up to and
        /// including the lowest flagged byte (bytes above it may be flagged spuriously).
        @inline(__always)
        static func attentionMask(_ word: UInt64) -> UInt64 {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            // (x - 0x01..) & ~x & 0x80.. flags a zero byte; a borrow only starts at a truly flagged byte, so
            // spurious flags can only appear above the first real one.
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let quoteHit = (quotes &- ones) & ~quotes
            let backslashHit = (backslashes &- ones) & ~backslashes
            let controlHit = (word &- ones &* 0x20) & ~word
            return (quoteHit | backslashHit | controlHit | word) & highs
        }

        /// Validates the escape at `j` (a backslash) and returns the index just after it.
        @inline(__always)
        func validateEscape(at j: Int, quote: Int) throws(JSONScanError) -> Int {
            guard j + 1 < end else { throw JSONScanError(offset: quote, reason: "unterminated string") }
            switch base[j + 1] {
            case Byte.quote, Byte.backslash, Byte.slash, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
                return j + 2
            case 0x75:  // u
                let unit = try hex4(at: j)
                if unit >= 0xDC00 && unit <= 0xDFFF {
                    throw JSONScanError(offset: j, reason: "unpaired surrogate in \\u escape")
                }
                guard unit >= 0xD800 && unit <= 0xDBFF else { return j + 6 }
                // A high surrogate is only valid when a \u low surrogate follows immediately.
                guard end - j >= 8, base[j + 6] == Byte.backslash, base[j + 7] == 0x75 else {
                    throw JSONScanError(offset: j, reason: "unpaired surrogate in \\u escape")
                }
                let low = try hex4(at: j + 6)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw JSONScanError(offset: j, reason: "unpaired surrogate in \\u escape")
                }
                return j + 12
            default:
                throw JSONScanError(offset: j, reason: Self.invalidEscapeReason(base[j + 1]))
            }
        }

        static func invalidEscapeReason(_ byte: UInt8) -> String {
            if byte > 0x20 && byte < 0x7F {
                return "invalid escape '\\\(Character(Unicode.Scalar(byte)))'"
            }
            let hex = String(byte, radix: 16, uppercase: true)
            return "invalid escape '\\' followed by byte 0x\(byte < 0x10 ? "0" : "")\(hex)"
        }

        /// The four hex digits after the `\u` at `j`.
        @inline(__always)
        func hex4(at j: Int) throws(JSONScanError) -> UInt32 {
            guard end - j >= 6 else {
                throw JSONScanError(offset: j, reason: "invalid \\u escape: expected 4 hex digits")
            }
            var value: UInt32 = 0
            for k in (j + 2)..<(j + 6) {
                let b = base[k]
                let digit: UInt8
                switch b {
                case Byte.zero...Byte.nine: digit = b &- Byte.zero
                case 0x41...0x46: digit = b &- 0x41 &+ 10
                case 0x61...0x66: digit = b &- 0x61 &+ 10
                default: throw JSONScanError(offset: j, reason: "invalid \\u escape: expected 4 hex digits")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// Validates the multi-byte UTF-8 sequence led by the byte at `j` and returns the index after it.
        func validateUTF8Sequence(at j: Int) throws(JSONScanError) -> Int {
            let lead = base[j]
            let length: Int
            var low: UInt8 = 0x80  // bounds of the second byte, which exclude overlongs, surrogates and > U+10FFFF
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: throw JSONScanError(offset: j, reason: "invalid UTF-8")
            }
            guard end - j >= length else { throw JSONScanError(offset: j, reason: "invalid UTF-8") }
            let second = base[j + 1]
            guard second >= low && second <= high else { throw JSONScanError(offset: j, reason: "invalid UTF-8") }
            for k in (j + 2)..<(j + length) where base[k] & 0xC0 != 0x80 {
                throw JSONScanError(offset: j, reason: "invalid UTF-8")
            }
            return j + length
        }

        /// The content of an already validated string.
        func decode(_ span: StringSpan) -> String {
            let count = span.end - span.start
            guard span.escaped else {
                return String(decoding: UnsafeBufferPointer(start: base + span.start, count: count), as: UTF8.self)
            }
            // Every escape is at least as long as what it decodes to, so the raw length is enough capacity.
            return String(unsafeUninitializedCapacity: count) { out in
                guard let outBase = out.baseAddress else { return 0 }
                var o = 0
                var j = span.start
                while j < span.end {
                    var k = j
                    while k < span.end && base[k] != Byte.backslash { k += 1 }
                    if k > j {
                        (outBase + o).initialize(from: base + j, count: k - j)
                        o += k - j
                        j = k
                        continue
                    }
                    let scalar: UInt32
                    switch base[j + 1] {
                    case 0x62: scalar = 0x08
                    case 0x66: scalar = 0x0C
                    case 0x6E: scalar = 0x0A
                    case 0x72: scalar = 0x0D
                    case 0x74: scalar = 0x09
                    case 0x75:
                        // Already validated, so the hex and any surrogate pairing cannot fail here.
                        let unit = (try? hex4(at: j)) ?? 0xFFFD
                        if unit >= 0xD800 && unit <= 0xDBFF {
                            let lowUnit = (try? hex4(at: j + 6)) ?? 0xDC00
                            scalar = 0x10000 + ((unit - 0xD800) << 10) + (lowUnit - 0xDC00)
                            j += 6
                        } else {
                            scalar = unit
                        }
                        j += 4
                    default: scalar = UInt32(base[j + 1])  // \" \\ \/
                    }
                    j += 2
                    o += Self.encodeUTF8(scalar, into: outBase + o)
                }
                return o
            }
        }

        /// Writes `scalar` as UTF-8 at `out` and returns the number of bytes written.
        @inline(__always)
        static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
            switch scalar {
            case ..<0x80:
                out.initialize(to: UInt8(scalar))
                return 1
            case ..<0x800:
                out.initialize(to: UInt8(0xC0 | scalar >> 6))
                (out + 1).initialize(to: UInt8(0x80 | scalar & 0x3F))
                return 2
            case ..<0x10000:
                out.initialize(to: UInt8(0xE0 | scalar >> 12))
                (out + 1).initialize(to: UInt8(0x80 | scalar >> 6 & 0x3F))
                (out + 2).initialize(to: UInt8(0x80 | scalar & 0x3F))
                return 3
            default:
                out.initialize(to: UInt8(0xF0 | scalar >> 18))
                (out + 1).initialize(to: UInt8(0x80 | scalar >> 12 & 0x3F))
                (out + 2).initialize(to: UInt8(0x80 | scalar >> 6 & 0x3F))
                (out + 3).initialize(to: UInt8(0x80 | scalar & 0x3F))
                return 4
            }
        }

        // MARK: Numbers

        /// Validates the number at `i` against the RFC 8259 grammar, skips it, and says whether it is an integer.
        mutating func scanNumber() throws(JSONScanError) -> Bool {
            var isInteger = true
            if base[i] == Byte.minus { i += 1 }
            guard i < end else { throw JSONScanError(offset: i, reason: "expected a digit in number") }
            if base[i] == Byte.zero {
                i += 1
                if i < end && isDigit(base[i]) {
                    throw JSONScanError(offset: i - 1, reason: "leading zero in number")
                }
            } else if isDigit(base[i]) {
                skipDigits()
            } else {
                throw JSONScanError(offset: i, reason: "expected a digit in number")
            }
            if i < end && base[i] == Byte.dot {
                isInteger = false
                i += 1
                guard i < end && isDigit(base[i]) else {
                    throw JSONScanError(offset: i, reason: "expected a digit in number")
                }
                skipDigits()
            }
            if i < end && (base[i] | 0x20) == 0x65 {  // e or E
                isInteger = false
                i += 1
                if i < end && (base[i] == Byte.plus || base[i] == Byte.minus) { i += 1 }
                guard i < end && isDigit(base[i]) else {
                    throw JSONScanError(offset: i, reason: "expected a digit in number")
                }
                skipDigits()
            }
            return isInteger
        }

        @inline(__always)
        func isDigit(_ b: UInt8) -> Bool { b &- Byte.zero < 10 }

        @inline(__always)
        mutating func skipDigits() {
            while i < end && isDigit(base[i]) { i += 1 }
        }
    }
}

// MARK: - Writer

/// Appends JSON text to a byte buffer without Foundation.
public enum JSONWriter {
    /// Appends `string` as a JSON string literal (quotes included), escaping `"`, `\\`, control characters (as \n, \r,
    /// \t, \b, \f or \u00XX), and U+2028/U+2029 as \u2028/\u2029.
    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        var string = string  // withUTF8 may need to make a bridged or small string contiguous
        string.withUTF8 { appendString(utf8: $0, to: &buffer) }
    }

    /// Same for raw UTF-8 bytes already known to be valid UTF-8.
    public static func appendString(utf8: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        buffer.reserveCapacity(buffer.count + utf8.count + 2)
        buffer.append(0x22)
        guard let base = utf8.baseAddress else {
            buffer.append(0x22)
            return
        }
        let count = utf8.count
        var runStart = 0
        var j = 0
        // Copies the unescaped bytes since the last escape in one go.
        func flush(_ upTo: Int) {
            if upTo > runStart {
                buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: upTo - runStart))
            }
        }
        while j < count {
            let b = base[j]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
                j += 1
                continue
            }
            if b == 0xE2 {
                // U+2028/U+2029 are valid JSON but break JavaScript and some line-oriented tools.
                if j + 2 < count && base[j + 1] == 0x80 && (base[j + 2] == 0xA8 || base[j + 2] == 0xA9) {
                    flush(j)
                    buffer.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, base[j + 2] == 0xA8 ? 0x38 : 0x39])
                    j += 3
                    runStart = j
                } else {
                    j += 1
                }
                continue
            }
            flush(j)
            switch b {
            case 0x22: buffer.append(contentsOf: [0x5C, 0x22])
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x08: buffer.append(contentsOf: [0x5C, 0x62])
            case 0x0C: buffer.append(contentsOf: [0x5C, 0x66])
            default: buffer.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 0xF)])
            }
            j += 1
            runStart = j
        }
        flush(count)
        buffer.append(0x22)
    }

    /// Appends a number with up to 4 decimals, no exponent, no trailing zeros ("0.81", "1", "0"); NaN/inf are written
    /// as 0.
    public static func appendNumber(_ value: Double, to buffer: inout [UInt8]) {
        guard value.isFinite else {
            buffer.append(0x30)
            return
        }
        let magnitude = value.magnitude
        guard magnitude < 9_223_372_036_854_775_808.0 else {
            appendHugeNumber(value, to: &buffer)
            return
        }
        // Conversions truncate; rounding by hand avoids `rounded()`, which needs libm at link time.
        var integerPart = UInt64(magnitude)
        // Subtracting the integer part is exact (Sterbenz), so only the final rounding to 4 decimals loses precision.
        let scaled = (magnitude - Double(integerPart)) * 10_000
        var fraction = Int(scaled)
        if scaled - Double(fraction) >= 0.5 { fraction += 1 }
        if fraction == 10_000 {
            integerPart += 1
            fraction = 0
        }
        if integerPart == 0 && fraction == 0 {
            buffer.append(0x30)  // never "-0"
            return
        }
        if value < 0 { buffer.append(0x2D) }
        appendUnsigned(integerPart, to: &buffer)
        guard fraction > 0 else { return }
        buffer.append(0x2E)
        var divisor = 1_000
        while fraction > 0 {
            buffer.append(0x30 + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` in decimal.
    public static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(0x2D) }
        appendUnsigned(UInt64(value.magnitude), to: &buffer)
    }

    private static func appendUnsigned(_ value: UInt64, to buffer: inout [UInt8]) {
        let start = buffer.count
        var rest = value
        repeat {
            buffer.append(0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        buffer[start...].reverse()
    }

    /// Magnitudes of 2^63 and above are whole numbers; expand the shortest round-trip digits without an exponent.
    private static func appendHugeNumber(_ value: Double, to buffer: inout [UInt8]) {
        let text = Array(value.magnitude.description.utf8)  // e.g. "1.2345e+20"
        var digits: [UInt8] = []
        var integerDigits = 0
        var exponent = 0
        var sawDot = false
        var index = 0
        while index < text.count {
            let b = text[index]
            if b == 0x2E {
                sawDot = true
            } else if b == 0x65 || b == 0x45 {
                exponent = Int(String(decoding: text[(index + 1)...], as: UTF8.self)) ?? 0
                break
            } else {
                digits.append(b)
                if !sawDot { integerDigits += 1 }
            }
            index += 1
        }
        if value < 0 { buffer.append(0x2D) }
        let total = integerDigits + exponent
        for k in 0..<max(total, 1) {
            buffer.append(k < digits.count ? digits[k] : 0x30)
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
