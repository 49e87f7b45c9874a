/// The parts of a verdict line (`triage filter` or `triage scan` output) the queue keeps.
///
/// Read with `JSONReader` rather than `JSONDecoder`: only these members are built, the rest of the record
/// (its body when it is an object, `to`, `meta`, `moderation.links`…) is checked and skipped. The rules are
/// those the `Decodable` version had: `id` is a string or a number; `body`, `author` and `surface` are
/// best effort (a value of another shape is left out, not an error); every `moderation` member but `action`
/// is optional, and `null` counts as absent; a member of the wrong type makes the line invalid.
struct VerdictLine {
    var id: String?
    var body: String?
    var authorRole: String?
    var surface: String?
    /// Whether the line is an error record: a line that could not be read, not a post.
    var isError = false
    var moderation: Moderation

    struct Moderation {
        var action: String
        var queue: String?
        var priority: String?
        var dueAt: String?
        var score: Double?
        var categories: [String: Double]?
        var findings: [QueueFinding]?
        var policy: String?
        var source: Source?
        var campaign: QueueCampaign?
        var text: String?
    }

    struct Source {
        var file: String
        var line: Int?
    }
}

extension VerdictLine {
    /// Reads one line of JSON.
    init(parsing line: ArraySlice<UInt8>) throws(JSONFailure) {
        self = try JSONReader.read(line) { reader throws(JSONFailure) in try Self(reading: &reader) }
    }

    private init(reading reader: inout JSONReader) throws(JSONFailure) {
        // Locals, not members: a closure may not capture `self` before every member is set.
        var (id, body, authorRole, surface, isError): (String?, String?, String?, String?, Bool) = (
            nil, nil, nil, nil, false
        )
        var moderation: Moderation?
        try reader.readObject(at: "the top level") { reader, key throws(JSONFailure) in
            switch key {
            case "id": id = try reader.consumeNull() ? nil : reader.readStringOrNumber(at: "id")
            case "body": body = try reader.readLenientString()
            case "surface": surface = try reader.readLenientString()
            case "author":
                authorRole = nil
                guard try reader.peekValueStart() == UInt8(ascii: "{") else { return try reader.skipValue() }
                var role: String?
                var isWellFormed = true
                try reader.readObject(at: "author") { reader, key throws(JSONFailure) in
                    guard key == "role" else { return try reader.skipValue() }
                    let start = try reader.peekValueStart()
                    if start == UInt8(ascii: "\"") {
                        role = try reader.readString(at: "author.role")
                    } else {
                        // `try?` on the whole `Author` used to drop it when its role had another type.
                        isWellFormed = start == UInt8(ascii: "n")
                        try reader.skipValue()
                    }
                }
                authorRole = isWellFormed ? role : nil
            case "error":
                // Only its presence matters; `null` is absent, as `decodeIfPresent` read it.
                isError = try !reader.consumeNull()
                if isError { try reader.skipValue() }
            case "moderation": moderation = try Moderation(reading: &reader)
            default: try reader.skipValue()
            }
        }
        guard let moderation else { throw .missing("moderation") }
        self.init(
            id: id,
            body: body,
            authorRole: authorRole,
            surface: surface,
            isError: isError,
            moderation: moderation
        )
    }
}

extension VerdictLine.Moderation {
    fileprivate init(reading reader: inout JSONReader) throws(JSONFailure) {
        // Locals, not members: a closure may not capture `self` before every member is set.
        var action: String?
        var (queue, priority, dueAt, policy, text): (String?, String?, String?, String?, String?) = (
            nil, nil, nil, nil, nil
        )
        var score: Double?
        var categories: [String: Double]?
        var findings: [QueueFinding]?
        var source: VerdictLine.Source?
        var campaign: QueueCampaign?
        try reader.readObject(at: "moderation") { reader, key throws(JSONFailure) in
            if try reader.consumeNull() {
                // `decodeIfPresent` reads `null` as absent; for `action` it is the wrong type.
                if key == "action" { throw .wrongType("moderation.action") }
                return
            }
            switch key {
            case "action": action = try reader.readString(at: "moderation.action")
            case "queue": queue = try reader.readString(at: "moderation.queue")
            case "priority": priority = try reader.readString(at: "moderation.priority")
            case "due_at": dueAt = try reader.readString(at: "moderation.due_at")
            case "score": score = try reader.readDouble(at: "moderation.score")
            case "categories": categories = try reader.readCategories(at: "moderation.categories")
            case "findings": findings = try reader.readFindings(at: "moderation.findings")
            case "policy": policy = try reader.readString(at: "moderation.policy")
            case "text": text = try reader.readString(at: "moderation.text")
            case "source":
                var file: String?
                var line: Int?
                try reader.readObject(at: "moderation.source") { reader, key throws(JSONFailure) in
                    switch key {
                    case "file": file = try reader.readString(at: "moderation.source.file")
                    case "line": line = try reader.consumeNull() ? nil : reader.readInt(at: "moderation.source.line")
                    default: try reader.skipValue()
                    }
                }
                guard let file else { throw .missing("moderation.source.file") }
                source = VerdictLine.Source(file: file, line: line)
            case "campaign":
                var id: String?
                var size: Int?
                var authors: Int?
                try reader.readObject(at: "moderation.campaign") { reader, key throws(JSONFailure) in
                    switch key {
                    case "id": id = try reader.readString(at: "moderation.campaign.id")
                    case "size": size = try reader.readInt(at: "moderation.campaign.size")
                    case "authors": authors = try reader.readInt(at: "moderation.campaign.authors")
                    default: try reader.skipValue()
                    }
                }
                guard let id else { throw .missing("moderation.campaign.id") }
                guard let size else { throw .missing("moderation.campaign.size") }
                guard let authors else { throw .missing("moderation.campaign.authors") }
                campaign = QueueCampaign(id: id, size: size, authors: authors)
            default: try reader.skipValue()
            }
        }
        guard let action else { throw .missing("moderation.action") }
        self.init(
            action: action,
            queue: queue,
            priority: priority,
            dueAt: dueAt,
            score: score,
            categories: categories,
            findings: findings,
            policy: policy,
            source: source,
            campaign: campaign,
            text: text
        )
    }
}

extension JSONReader {
    /// The string that comes next, or `nil` for any other value (skipped): a best-effort member.
    fileprivate mutating func readLenientString() throws(JSONFailure) -> String? {
        guard try peekValueStart() == UInt8(ascii: "\"") else {
            try skipValue()
            return nil
        }
        return try readString(at: "")
    }
}
