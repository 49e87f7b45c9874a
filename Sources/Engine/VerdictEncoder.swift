internal import Glibc
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

    /// The `moderation` object of an allowed post with no findings, the most common verdict by far,
    /// encoded once.
    private let plainAllow: [UInt8]

    public init(policyHash: String) {
        self.policyHash = policyHash
        var plainAllow: [UInt8] = []
        Self.encode(
            Moderated(verdict: .plainAllow, parsed: ParsedBody(text: "", field: .body)),
            policyHash: policyHash,
            to: &plainAllow
        )
        self.plainAllow = plainAllow
    }

    /// Appends `record` (a JSON object) with `moderated` added as `moderation`, and a newline.
    ///
    /// With `redactedBody`, the record's `body` value (at byte range `bodyRange`) is replaced by it.
    public func splice(
        _ moderated: Moderated,
        into record: UnsafeBufferPointer<UInt8>,
        missingID: String?,
        redactedBody: (range: Range<Int>, text: String)? = nil,
        output: inout [UInt8]
    ) {
        var close = record.count - 1
        while close > 0, record[close] != UInt8(ascii: "}") { close -= 1 }
        let copyStart = output.count
        if let (range, text) = redactedBody, range.upperBound <= close {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: record[..<range.lowerBound]))
            JSONWriter.appendString(text, to: &output)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: record[range.upperBound..<close]))
        } else {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: record[..<close]))
        }
        // A carriage return can only be whitespace between tokens in a valid record (inside a string it
        // would have been rejected); readers that split lines on it would see two records, so it becomes a
        // space.
        if memchr(record.baseAddress!, 0x0D, close) != nil {  // a valid record is never empty
            for index in copyStart..<output.count where output[index] == 0x0D { output[index] = 0x20 }
        }
        var inner = close - 1
        while inner > 0,
            record[inner] == 0x20 || record[inner] == 0x09 || record[inner] == 0x0A || record[inner] == 0x0D
        {
            inner -= 1
        }
        if record[inner] != UInt8(ascii: "{") { output.append(UInt8(ascii: ",")) }
        if let missingID {
            Self.append(#""id":"#, to: &output)
            JSONWriter.appendString(missingID, to: &output)
            output.append(UInt8(ascii: ","))
        }
        Self.append(#""moderation":"#, to: &output)
        encode(moderated, to: &output)
        Self.append("}\n", to: &output)
    }

    /// Appends a new record `{"id": …, "body": …, "moderation": …}` for a plain-text post, and a newline.
    public func wrap(_ moderated: Moderated, id: String, body: UnsafeBufferPointer<UInt8>, output: inout [UInt8]) {
        Self.append(#"{"id":"#, to: &output)
        JSONWriter.appendString(id, to: &output)
        Self.append(#","body":"#, to: &output)
        JSONWriter.appendString(utf8: body, to: &output)
        Self.append(#","moderation":"#, to: &output)
        encode(moderated, to: &output)
        Self.append("}\n", to: &output)
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
        Self.append(#"{"error":{"source":"#, to: &output)
        JSONWriter.appendString(source, to: &output)
        Self.append(#","line":"#, to: &output)
        JSONWriter.appendInteger(line, to: &output)
        Self.append(#","column":"#, to: &output)
        JSONWriter.appendInteger(column, to: &output)
        Self.append(#","reason":"#, to: &output)
        JSONWriter.appendString(reason, to: &output)
        Self.append(#"},"raw":"#, to: &output)
        let excerpt = UnsafeBufferPointer(rebasing: raw[..<min(raw.count, Self.rawExcerptBytes)])
        JSONWriter.appendString(String(decoding: excerpt, as: UTF8.self), to: &output)
        Self.append(#","moderation":{"action":"review","queue":"errors","priority":"normal","score":0,"#, to: &output)
        Self.append(#""categories":{},"findings":[],"policy":"#, to: &output)
        JSONWriter.appendString(policyHash, to: &output)
        Self.append(#","engine":"#, to: &output)
        JSONWriter.appendString(Pipeline.engineVersion, to: &output)
        Self.append("}}\n", to: &output)
    }

    /// Appends the `moderation` object.
    func encode(_ moderated: Moderated, to output: inout [UInt8]) {
        let verdict = moderated.verdict
        if verdict.action == .allow, verdict.findings.isEmpty, moderated.parsed.field == .body {
            output.append(contentsOf: plainAllow)
        } else {
            Self.encode(moderated, policyHash: policyHash, to: &output)
        }
        if let source = verdict.source {
            output.removeLast()  // the object's `}`
            Self.append(#","source":{"file":"#, to: &output)
            JSONWriter.appendString(source.file, to: &output)
            Self.append(#","line":"#, to: &output)
            JSONWriter.appendInteger(source.line, to: &output)
            Self.append("}}", to: &output)
        }
        if let campaign = verdict.campaign {
            output.removeLast()  // the object's `}`
            Self.appendCampaign(campaign, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `,"campaign":{…}`: the last member of `moderation`, so that the campaign pass can add it to an
    /// encoded line (before its closing `}}` and newline) without encoding the verdict again.
    static func appendCampaign(_ campaign: CampaignInfo, to output: inout [UInt8]) {
        append(#","campaign":{"id":"#, to: &output)
        JSONWriter.appendString(campaign.id, to: &output)
        append(#","size":"#, to: &output)
        JSONWriter.appendInteger(campaign.size, to: &output)
        append(#","authors":"#, to: &output)
        JSONWriter.appendInteger(campaign.authors, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static func encode(_ moderated: Moderated, policyHash: String, to output: inout [UInt8]) {
        let verdict = moderated.verdict
        Self.append(#"{"action":""#, to: &output)
        Self.append(verdict.action.rawValue, to: &output)
        Self.append(#"","queue":"#, to: &output)
        JSONWriter.appendString(verdict.queue, to: &output)
        Self.append(#","priority":""#, to: &output)
        Self.append(verdict.priority.rawValue, to: &output)
        Self.append(#"""#, to: &output)
        if let dueAt = verdict.dueAt {
            Self.append(#","due_at":"#, to: &output)
            JSONWriter.appendString(dueAt, to: &output)
        }
        Self.append(#","score":"#, to: &output)
        JSONWriter.appendNumber(verdict.score, to: &output)
        Self.append(#","categories":{"#, to: &output)
        for (index, category) in verdict.categories.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(category.name, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.appendNumber(category.score, to: &output)
        }
        Self.append(#"},"findings":["#, to: &output)
        for (index, finding) in verdict.findings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.append(#"{"rule":"#, to: &output)
            JSONWriter.appendString(finding.rule, to: &output)
            Self.append(#","category":"#, to: &output)
            JSONWriter.appendString(finding.category, to: &output)
            Self.append(#","weight":"#, to: &output)
            JSONWriter.appendNumber(finding.weight, to: &output)
            Self.append(#","field":""#, to: &output)
            Self.append(finding.field.rawValue, to: &output)
            Self.append(#"","start":"#, to: &output)
            JSONWriter.appendInteger(finding.start, to: &output)
            Self.append(#","end":"#, to: &output)
            JSONWriter.appendInteger(finding.end, to: &output)
            Self.append(#","excerpt":"#, to: &output)
            JSONWriter.appendString(finding.excerpt, to: &output)
            Self.append(#","source":"#, to: &output)
            JSONWriter.appendString(finding.source, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
        if verdict.omittedFindings > 0 {
            // The marker that `findings` was cut short (`--max-findings`); the scores counted them all.
            Self.append(#","findings_omitted":"#, to: &output)
            JSONWriter.appendInteger(verdict.omittedFindings, to: &output)
        }
        if moderated.parsed.field == .text {
            Self.append(#","text":"#, to: &output)
            JSONWriter.appendString(moderated.parsed.text, to: &output)
            Self.append(#","links":["#, to: &output)
            for (index, link) in moderated.parsed.links.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.append(#"{"href":"#, to: &output)
                JSONWriter.appendString(link.target, to: &output)
                Self.append(#","text":"#, to: &output)
                JSONWriter.appendString(link.anchorText, to: &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: "]"))
        }
        Self.append(#","policy":"#, to: &output)
        JSONWriter.appendString(policyHash, to: &output)
        Self.append(#","engine":"#, to: &output)
        JSONWriter.appendString(Pipeline.engineVersion, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static func append(_ literal: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static func append(_ text: String, to output: inout [UInt8]) {
        output.append(contentsOf: text.utf8)
    }
}
