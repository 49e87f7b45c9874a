internal import Moderation

// The `summary.json` layout: snake_case keys, derived values (totals, throughput rates) written for readers
// and recomputed on load, and only the top campaigns, not every one tracked.
extension ScanSummary: Codable {
    private enum CodingKeys: String, CodingKey {
        case version
        case policyHash = "policy"
        case engineVersion = "engine"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case records
        case actions
        case errors
        case categories
        case rules
        case authorRoles = "author_roles"
        case surfaces
        case files
        case skipped
        case throughput
        case topCampaigns = "top_campaigns"
        case reviewSample = "review_sample"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version <= Self.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version,
                in: container,
                debugDescription: "summary version \(version) is newer than this triage reads (\(Self.formatVersion))"
            )
        }
        self.init(
            policyHash: try container.decode(String.self, forKey: .policyHash),
            engineVersion: try container.decode(String.self, forKey: .engineVersion),
            startedAt: try container.decodeIfPresent(String.self, forKey: .startedAt)
        )
        finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
        actions = try container.decode(ActionCounts.self, forKey: .actions)
        errors = try container.decode(Int.self, forKey: .errors)
        categories = try container.decode([String: Int].self, forKey: .categories)
        rules = try container.decode([String: Int].self, forKey: .rules)
        authorRoles = try container.decode([String: Int].self, forKey: .authorRoles)
        surfaces = try container.decode([String: Int].self, forKey: .surfaces)
        files = try container.decode([String: FileStats].self, forKey: .files)
        skipped = try container.decode([SkippedFile].self, forKey: .skipped)
        seconds = try container.decode(Throughput.self, forKey: .throughput).seconds
        let campaigns = try container.decode([CampaignSample].self, forKey: .topCampaigns)
        campaignsByID = Dictionary(campaigns.map { ($0.id, $0) }) { first, _ in first }
        reviewSample = try container.decode([ReviewItem].self, forKey: .reviewSample)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatVersion, forKey: .version)
        try container.encode(policyHash, forKey: .policyHash)
        try container.encode(engineVersion, forKey: .engineVersion)
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        try container.encode(records, forKey: .records)
        try container.encode(actions, forKey: .actions)
        try container.encode(errors, forKey: .errors)
        try container.encode(categories, forKey: .categories)
        try container.encode(rules, forKey: .rules)
        try container.encode(authorRoles, forKey: .authorRoles)
        try container.encode(surfaces, forKey: .surfaces)
        try container.encode(files, forKey: .files)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(throughput, forKey: .throughput)
        try container.encode(topCampaigns, forKey: .topCampaigns)
        try container.encode(reviewSample, forKey: .reviewSample)
    }
}

extension Throughput: Codable {
    private enum CodingKeys: String, CodingKey {
        case bytes
        case records
        case seconds
        case megabytesPerSecond = "mb_per_second"
        case postsPerSecond = "posts_per_second"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            bytes: try container.decode(Int.self, forKey: .bytes),
            records: try container.decode(Int.self, forKey: .records),
            seconds: try container.decode(Double.self, forKey: .seconds)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(records, forKey: .records)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(megabytesPerSecond, forKey: .megabytesPerSecond)
        try container.encode(postsPerSecond, forKey: .postsPerSecond)
    }
}

// Moderation's enums are not Codable (the engine writes JSON by hand), so items spell them as their raw values.
extension ReviewItem: Codable {
    private enum CodingKeys: String, CodingKey {
        case id
        case file
        case line
        case action
        case priority
        case score
        case text
        case isTruncated = "truncated"
        case findings
        case campaign
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            file: try container.decode(String.self, forKey: .file),
            line: try container.decode(Int.self, forKey: .line),
            action: try container.decodeRawValue(Action.self, forKey: .action),
            priority: try container.decodeRawValue(Priority.self, forKey: .priority),
            score: try container.decode(Double.self, forKey: .score),
            text: try container.decode(String.self, forKey: .text),
            isTruncated: try container.decodeIfPresent(Bool.self, forKey: .isTruncated) ?? false,
            findings: try container.decode([Span].self, forKey: .findings),
            campaign: try container.decodeIfPresent(String.self, forKey: .campaign)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(action.rawValue, forKey: .action)
        try container.encode(priority.rawValue, forKey: .priority)
        try container.encode(score, forKey: .score)
        try container.encode(text, forKey: .text)
        try container.encode(isTruncated, forKey: .isTruncated)
        try container.encode(findings, forKey: .findings)
        try container.encodeIfPresent(campaign, forKey: .campaign)
    }
}

extension ReviewItem.Span: Codable {
    private enum CodingKeys: String, CodingKey {
        case rule
        case category
        case field
        case start
        case end
        case excerpt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rule: try container.decode(String.self, forKey: .rule),
            category: try container.decode(String.self, forKey: .category),
            field: try container.decodeRawValue(Field.self, forKey: .field),
            start: try container.decode(Int.self, forKey: .start),
            end: try container.decode(Int.self, forKey: .end),
            excerpt: try container.decode(String.self, forKey: .excerpt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(category, forKey: .category)
        try container.encode(field.rawValue, forKey: .field)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(excerpt, forKey: .excerpt)
    }
}

extension KeyedDecodingContainer {
    /// Decodes a string-backed enum, naming the unknown value when it is not one of the cases.
    fileprivate func decodeRawValue<Value: RawRepresentable<String>>(
        _ type: Value.Type,
        forKey key: Key
    ) throws
        -> Value
    {
        let raw = try decode(String.self, forKey: key)
        guard let value = Value(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "unknown \(key.stringValue) \"\(raw)\""
            )
        }
        return value
    }
}
