/// Why a JSON text could not be read: where, never what (no text from the input).
enum JSONFailure: Error, Equatable {
    /// Not JSON at all (RFC 8259), or nested deeper than `JSONReader.maxDepth`.
    case invalidJSON
    /// A required member is absent; the path is dotted (`moderation.action`).
    case missing(String)
    /// A member holds the wrong kind of value (`moderation.findings.2.start` is a string).
    case wrongType(String)

    /// One line for an import report, in the words `JSONDecoder`'s errors used to get.
    var reason: String {
        switch self {
        case .invalidJSON: "invalid JSON"
        case .missing(let path): "missing \(path)"
        case .wrongType(let path): "wrong type at \(path)"
        }
    }
}

/// A validating reader over the UTF-8 bytes of one JSON text that builds only the values asked for.
///
/// It replaces `JSONDecoder` on the import path, where decoding every member of a 1 KB verdict into a
/// dictionary first was most of the time. Values are read in document order: a caller walks an object's
/// members with `readObject` and reads or skips each. Skipped values are checked for structure (brackets,
/// literals, numbers, string escapes and control characters); strings that are read are also checked to be
/// valid UTF-8. Nesting deeper than `maxDepth` is refused rather than recursed into, so hostile input
/// cannot overflow the stack.
struct JSONReader {
    /// The deepest nesting read; `JSONDecoder` refuses more than 512 levels too.
    static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads the one JSON text in `bytes` with `body`, then checks that nothing but white space follows.
    static func read<T>(
        _ bytes: ArraySlice<UInt8>,
        _ body: (inout JSONReader) throws(JSONFailure) -> T
    ) throws(JSONFailure) -> T {
        let result: Result<T, JSONFailure> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            do throws(JSONFailure) {
                let value = try body(&reader)
                reader.skipSpace()
                guard reader.position == buffer.count else { throw .invalidJSON }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `read` over the UTF-8 of `text` (a JSON column of the database).
    static func read<T>(
        _ text: String,
        _ body: (inout JSONReader) throws(JSONFailure) -> T
    ) throws(JSONFailure) -> T {
        try read(ArraySlice(text.utf8), body)
    }

    // MARK: - Structure

    /// Calls `member` with each key of the object that comes next; `member` must read or skip its value.
    mutating func readObject(
        at path: @autoclosure () -> String,
        _ member: (inout JSONReader, String) throws(JSONFailure) -> Void
    ) throws(JSONFailure) {
        try open(UInt8(ascii: "{"), at: path())
        defer { depth -= 1 }
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw .invalidJSON }
            let key = try readStringContents()
            guard consume(UInt8(ascii: ":")) else { throw .invalidJSON }
            try member(&self, key)
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { throw .invalidJSON }
    }

    /// Calls `element` with the index of each element of the array that comes next; it must read or skip it.
    mutating func readArray(
        at path: @autoclosure () -> String,
        _ element: (inout JSONReader, Int) throws(JSONFailure) -> Void
    ) throws(JSONFailure) {
        try open(UInt8(ascii: "["), at: path())
        defer { depth -= 1 }
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            try element(&self, index)
            index += 1
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { throw .invalidJSON }
    }

    /// Skips the value that comes next, checking its structure.
    mutating func skipValue() throws(JSONFailure) {
        switch try peekValueStart() {
        case UInt8(ascii: "{"): try readObject(at: "") { reader, _ throws(JSONFailure) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray(at: "") { reader, _ throws(JSONFailure) in try reader.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberToken()
        }
    }

    /// Whether the next value is `null`, consuming it if so: an optional member that is `null` is absent.
    mutating func consumeNull() throws(JSONFailure) -> Bool {
        guard try peekValueStart() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The next value's first byte, after white space; the input ending there is not JSON.
    mutating func peekValueStart() throws(JSONFailure) -> UInt8 {
        skipSpace()
        guard position < bytes.count else { throw .invalidJSON }
        return bytes[position]
    }

    // MARK: - Values

    /// The string that comes next.
    mutating func readString(at path: @autoclosure () -> String) throws(JSONFailure) -> String {
        guard try peekValueStart() == UInt8(ascii: "\"") else { return try mismatch(at: path()) }
        return try readStringContents()
    }

    /// The number that comes next, as a `Double`.
    mutating func readDouble(at path: @autoclosure () -> String) throws(JSONFailure) -> Double {
        let start = try peekValueStart()
        guard start == UInt8(ascii: "-") || Self.isDigit(start) else { return try mismatch(at: path()) }
        let (range, _) = try numberToken()
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        else { throw .invalidJSON }
        return value
    }

    /// The number that comes next, which must be a whole number that fits in an `Int`.
    mutating func readInt(at path: @autoclosure () -> String) throws(JSONFailure) -> Int {
        let start = try peekValueStart()
        guard start == UInt8(ascii: "-") || Self.isDigit(start) else { return try mismatch(at: path()) }
        let (range, isInteger) = try numberToken()
        if isInteger, let value = Self.integer(bytes[range]) { return value }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let double = Double(text), let value = Int(exactly: double) else { throw .wrongType(path()) }
        return value
    }

    /// A post id as records write it: a string, or a number (written back as Swift prints it).
    mutating func readStringOrNumber(at path: @autoclosure () -> String) throws(JSONFailure) -> String {
        let start = try peekValueStart()
        if start == UInt8(ascii: "\"") { return try readStringContents() }
        guard start == UInt8(ascii: "-") || Self.isDigit(start) else { return try mismatch(at: path()) }
        let (range, isInteger) = try numberToken()
        if isInteger, let value = Self.integer(bytes[range]) { return String(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let double = Double(text) else { throw .invalidJSON }
        return String(double)
    }

    // MARK: - Scanning

    mutating func skipSpace() {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
    }

    /// Consumes `byte` after white space, if it comes next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Enters an object or array, or reports the value that is there instead as the wrong type.
    private mutating func open(_ bracket: UInt8, at path: @autoclosure () -> String) throws(JSONFailure) {
        guard try peekValueStart() == bracket else { return try mismatch(at: path()) }
        guard depth < Self.maxDepth else { throw .invalidJSON }
        depth += 1
        position += 1
    }

    /// Reports a wrong type if a JSON value starts here, or invalid JSON if none does: the whole line must
    /// be JSON before its shape matters.
    private mutating func mismatch<T>(at path: String) throws(JSONFailure) -> T {
        try skipValue()
        throw .wrongType(path)
    }

    private mutating func literal(_ word: StaticString) throws(JSONFailure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw .invalidJSON }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { throw .invalidJSON }
        position += count
    }

    /// The bytes of the number that starts here (RFC 8259's grammar), and whether it is a plain integer.
    private mutating func numberToken() throws(JSONFailure) -> (Range<Int>, isInteger: Bool) {
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .invalidJSON }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .invalidJSON }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else { throw .invalidJSON }
            skipDigits()
        }
        return (start..<position, isInteger)
    }

    private mutating func skipDigits() {
        while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
    }

    /// The end of the string whose opening quote is at `position`, checking escapes and control characters,
    /// and whether it holds any escape.
    private mutating func stringEnd() throws(JSONFailure) -> (end: Int, hasEscapes: Bool) {
        var index = position + 1
        var hasEscapes = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return (index, hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard index + 1 < bytes.count else { throw .invalidJSON }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.hexValue(bytes[index + $0]) != nil })
                    else { throw .invalidJSON }
                    index += 6
                default: throw .invalidJSON
                }
            case ..<0x20: throw .invalidJSON  // RFC 8259, section 7: control characters must be escaped
            default: index += 1
            }
        }
        throw .invalidJSON
    }

    private mutating func skipString() throws(JSONFailure) {
        position = try stringEnd().end + 1
    }

    /// The string whose opening quote is at `position`, unescaped; it must be valid UTF-8.
    private mutating func readStringContents() throws(JSONFailure) -> String {
        let (end, hasEscapes) = try stringEnd()
        let contents = UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end])
        position = end + 1
        let string: String?
        if hasEscapes {
            string = String(validating: try Self.unescaped(contents), as: UTF8.self)
        } else {
            string = String(validating: contents, as: UTF8.self)
        }
        guard let string else { throw .invalidJSON }
        return string
    }

    /// `contents` with its escapes (already checked by `stringEnd`) replaced by the bytes they stand for.
    private static func unescaped(_ contents: UnsafeBufferPointer<UInt8>) throws(JSONFailure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(contents.count)
        var index = 0
        while index < contents.count {
            let byte = contents[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = contents[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var value = hex4(contents, at: index)
                index += 4
                if (0xD800..<0xDC00).contains(value) {
                    // A high surrogate must be followed by an escaped low one (RFC 8259, section 7).
                    guard index + 6 <= contents.count, contents[index] == UInt8(ascii: "\\"),
                        contents[index + 1] == UInt8(ascii: "u")
                    else { throw .invalidJSON }
                    let low = hex4(contents, at: index + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw .invalidJSON }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let scalar = Unicode.Scalar(value) else { throw .invalidJSON }  // a lone low surrogate
                output.append(contentsOf: UTF8.encode(scalar)!)  // never nil: every scalar has a UTF-8 form
            default: output.append(kind)  // `"`, `\` or `/`
            }
        }
        return output
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | UInt32(hexValue(bytes[index + offset]) ?? 0) }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A plain integer token's value, or `nil` if it does not fit in an `Int`.
    private static func integer(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var value = 0
        let isNegative = digits.first == UInt8(ascii: "-")
        for byte in digits.dropFirst(isNegative ? 1 : 0) {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.subtractingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = added  // accumulated negatively, so Int.min fits
        }
        if isNegative { return value }
        return value == Int.min ? nil : -value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// Writes JSON text for the database's JSON columns, as `JSONEncoder` with sorted keys wrote it.
enum JSONText {
    /// Appends `string` quoted, escaping quotes, backslashes and control characters (not `/`).
    static func appendString(_ string: String, to output: inout String) {
        output.append("\"")
        var start = string.utf8.startIndex
        let utf8 = string.utf8
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                output.append(contentsOf: string[start..<index])
                switch byte {
                case UInt8(ascii: "\""): output.append("\\\"")
                case UInt8(ascii: "\\"): output.append("\\\\")
                case 0x0A: output.append("\\n")
                case 0x0D: output.append("\\r")
                case 0x09: output.append("\\t")
                case 0x08: output.append("\\b")
                case 0x0C: output.append("\\f")
                default:
                    let hex = String(byte, radix: 16)
                    output.append("\\u00" + (byte < 16 ? "0" : "") + hex)
                }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        output.append(contentsOf: string[start..<utf8.endIndex])
        output.append("\"")
    }

    /// Appends a finite `number` the shortest way that reads back the same (`0.74`, `1`).
    static func appendNumber(_ number: Double, to output: inout String) {
        if let integer = Int(exactly: number), abs(integer) < 1 << 53 {
            output.append(String(integer))
        } else {
            output.append(number.description)
        }
    }

    /// `categories` as an object with sorted keys.
    static func categories(_ categories: [String: Double]) -> String {
        var output = "{"
        for (index, name) in categories.keys.sorted().enumerated() {
            if index > 0 { output.append(",") }
            appendString(name, to: &output)
            output.append(":")
            appendNumber(categories[name] ?? 0, to: &output)
        }
        output.append("}")
        return output
    }

    /// `findings` as an array of objects with sorted keys.
    static func findings(_ findings: [QueueFinding]) -> String {
        var output = "["
        for (index, finding) in findings.enumerated() {
            if index > 0 { output.append(",") }
            output.append(#"{"category":"#)
            appendString(finding.category, to: &output)
            output.append(#","end":"#)
            output.append(String(finding.end))
            output.append(#","excerpt":"#)
            appendString(finding.excerpt, to: &output)
            output.append(#","field":"#)
            appendString(finding.field, to: &output)
            output.append(#","rule":"#)
            appendString(finding.rule, to: &output)
            output.append(#","source":"#)
            appendString(finding.source, to: &output)
            output.append(#","start":"#)
            output.append(String(finding.start))
            output.append(#","weight":"#)
            appendNumber(finding.weight, to: &output)
            output.append("}")
        }
        output.append("]")
        return output
    }
}

extension JSONReader {
    /// A `[String: Double]` object (`moderation.categories`, the `categories` column).
    mutating func readCategories(at path: @autoclosure () -> String) throws(JSONFailure) -> [String: Double] {
        var categories: [String: Double] = [:]
        try readObject(at: path()) { reader, name throws(JSONFailure) in
            categories[name] = try reader.readDouble(at: path() + "." + name)
        }
        return categories
    }

    /// An array of findings (`moderation.findings`, the `findings` column); every member is required.
    mutating func readFindings(at path: @autoclosure () -> String) throws(JSONFailure) -> [QueueFinding] {
        var findings: [QueueFinding] = []
        try readArray(at: path()) { reader, index throws(JSONFailure) in
            findings.append(try reader.readFinding(at: "\(path()).\(index)"))
        }
        return findings
    }

    mutating func readFinding(at path: @autoclosure () -> String) throws(JSONFailure) -> QueueFinding {
        var rule: String?
        var category: String?
        var weight: Double?
        var field: String?
        var start: Int?
        var end: Int?
        var excerpt: String?
        var source: String?
        try readObject(at: path()) { reader, key throws(JSONFailure) in
            switch key {
            case "rule": rule = try reader.readString(at: path() + ".rule")
            case "category": category = try reader.readString(at: path() + ".category")
            case "weight": weight = try reader.readDouble(at: path() + ".weight")
            case "field": field = try reader.readString(at: path() + ".field")
            case "start": start = try reader.readInt(at: path() + ".start")
            case "end": end = try reader.readInt(at: path() + ".end")
            case "excerpt": excerpt = try reader.readString(at: path() + ".excerpt")
            case "source": source = try reader.readString(at: path() + ".source")
            default: try reader.skipValue()
            }
        }
        guard let rule else { throw .missing(path() + ".rule") }
        guard let category else { throw .missing(path() + ".category") }
        guard let weight else { throw .missing(path() + ".weight") }
        guard let field else { throw .missing(path() + ".field") }
        guard let start else { throw .missing(path() + ".start") }
        guard let end else { throw .missing(path() + ".end") }
        guard let excerpt else { throw .missing(path() + ".excerpt") }
        guard let source else { throw .missing(path() + ".source") }
        return QueueFinding(
            rule: rule,
            category: category,
            weight: weight,
            field: field,
            start: start,
            end: end,
            excerpt: excerpt,
            source: source
        )
    }
}
