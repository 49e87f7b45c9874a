internal import Ingestion
internal import Moderation

/// Writes verdicts as JSON: the input record with a `moderation` object added, or an error record.
///
/// Records are not decoded and re-encoded: the original line is copied up to its closing brace and the
/// `moderation` object is appended, so unknown fields, key order and number spellings pass through
/// byte for byte.
public struct VerdictEncoder: Sendable {
    /// The policy hash every verdict carries.
    public let policyHash: String
    /// How many bytes of an unreadable line an error record keeps in `raw`.
    public static let rawExcerptBytes = 1024

    public init(policyHash: String) {
        self.policyHash = policyHash
    }

    /// Appends `record` (a JSON object) with `moderated` added as `moderation`, and a newline.
    public func splice(
        _ moderated: Moderated,
        into record: UnsafeBufferPointer<UInt8>,
        missingID: String?,
        output: inout [UInt8]
    ) {
        var close = record.count - 1
        while close > 0, record[close] != UInt8(ascii: "}") { close -= 1 }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: record[..<close]))
        var inner = close - 1
        while inner > 0, record[inner] == 0x20 || record[inner] == 0x09 || record[inner] == 0x0A || record[inner] == 0x0D {
            inner -= 1
        }
        if record[inner] != UInt8(ascii: "{") { output.append(UInt8(ascii: ",")) }
        if let missingID {
            append(#""id":"#, to: &output)
            JSONWriter.appendString(missingID, to: &output)
            output.append(UInt8(ascii: ","))
        }
        append(#""moderation":"#, to: &output)
        encode(moderated, to: &output)
        append("}\n", to: &output)
    }

    /// Appends a new record `{"id": …, "body": …, "moderation": …}` for a plain-text post, and a newline.
    public func wrap(_ moderated: Moderated, id: String, body: UnsafeBufferPointer<UInt8>, output: inout [UInt8]) {
        append(#"{"id":"#, to: &output)
        JSONWriter.appendString(id, to: &output)
        append(#","body":"#, to: &output)
        JSONWriter.appendString(utf8: body, to: &output)
        append(#","moderation":"#, to: &output)
        encode(moderated, to: &output)
        append("}\n", to: &output)
    }

    /// Appends an error record for a line that could not be moderated, and a newline.
    ///
    /// It carries a `moderation` object like any verdict (action `review`, queue `errors`), so that
    /// consumers handle one shape, plus `error` with the location and reason, and the start of the line.
    public func error(
        source: String,
        line: Int,
        column: Int,
        reason: String,
        raw: UnsafeBufferPointer<UInt8>,
        output: inout [UInt8]
    ) {
        append(#"{"error":{"source":"#, to: &output)
        JSONWriter.appendString(source, to: &output)
        append(#","line":"#, to: &output)
        JSONWriter.appendInteger(line, to: &output)
        append(#","column":"#, to: &output)
        JSONWriter.appendInteger(column, to: &output)
        append(#","reason":"#, to: &output)
        JSONWriter.appendString(reason, to: &output)
        append(#"},"raw":"#, to: &output)
        let excerpt = UnsafeBufferPointer(rebasing: raw[..<min(raw.count, Self.rawExcerptBytes)])
        JSONWriter.appendString(String(decoding: excerpt, as: UTF8.self), to: &output)
        append(#","moderation":{"action":"review","queue":"errors","priority":"normal","score":0,"#, to: &output)
        append(#""categories":{},"findings":[],"policy":"#, to: &output)
        JSONWriter.appendString(policyHash, to: &output)
        append(#","engine":"#, to: &output)
        JSONWriter.appendString(Pipeline.engineVersion, to: &output)
        append("}}\n", to: &output)
    }

    /// Appends the `moderation` object.
    func encode(_ moderated: Moderated, to output: inout [UInt8]) {
        let verdict = moderated.verdict
        append(#"{"action":""#, to: &output)
        append(verdict.action.rawValue, to: &output)
        append(#"","queue":"#, to: &output)
        JSONWriter.appendString(verdict.queue, to: &output)
        append(#","priority":""#, to: &output)
        append(verdict.priority.rawValue, to: &output)
        append(#"""#, to: &output)
        if let dueAt = verdict.dueAt {
            append(#","due_at":"#, to: &output)
            JSONWriter.appendString(dueAt, to: &output)
        }
        append(#","score":"#, to: &output)
        JSONWriter.appendNumber(verdict.score, to: &output)
        append(#","categories":{"#, to: &output)
        for (index, category) in verdict.categories.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(category.name, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.appendNumber(category.score, to: &output)
        }
        append(#"},"findings":["#, to: &output)
        for (index, finding) in verdict.findings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            append(#"{"rule":"#, to: &output)
            JSONWriter.appendString(finding.rule, to: &output)
            append(#","category":"#, to: &output)
            JSONWriter.appendString(finding.category, to: &output)
            append(#","weight":"#, to: &output)
            JSONWriter.appendNumber(finding.weight, to: &output)
            append(#","field":""#, to: &output)
            append(finding.field.rawValue, to: &output)
            append(#"","start":"#, to: &output)
            JSONWriter.appendInteger(finding.start, to: &output)
            append(#","end":"#, to: &output)
            JSONWriter.appendInteger(finding.end, to: &output)
            append(#","excerpt":"#, to: &output)
            JSONWriter.appendString(finding.excerpt, to: &output)
            append(#","source":"#, to: &output)
            JSONWriter.appendString(finding.source, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        if moderated.parsed.field == .text {
            append(#","text":"#, to: &output)
            JSONWriter.appendString(moderated.parsed.text, to: &output)
            append(#","links":["#, to: &output)
            for (index, link) in moderated.parsed.links.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                append(#"{"href":"#, to: &output)
                JSONWriter.appendString(link.target, to: &output)
                append(#","text":"#, to: &output)
                JSONWriter.appendString(link.anchorText, to: &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: "]"))
        }
        append(#","policy":"#, to: &output)
        JSONWriter.appendString(policyHash, to: &output)
        append(#","engine":"#, to: &output)
        JSONWriter.appendString(Pipeline.engineVersion, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private func append(_ text: String, to output: inout [UInt8]) {
        output.append(contentsOf: text.utf8)
    }
}
