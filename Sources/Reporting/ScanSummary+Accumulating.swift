public import Moderation

extension ScanSummary {
    /// How many campaigns a summary tracks before it forgets the smallest.
    ///
    /// Each record carries its campaign's size so far, so a forgotten campaign that keeps growing comes back
    /// with its full size on its next post; only its excerpt is taken again.
    static let campaignTrackingLimit = 2_000

    /// Counts one record.
    ///
    /// This is called once per record, so it only bumps counters, except for posts that join the review
    /// sample or start a campaign.
    public mutating func add(record: ScanRecordSummary) {
        guard let action = record.action else {
            files[record.file, default: FileStats()].records += 1
            files[record.file, default: FileStats()].bytes += record.bytes
            errors += 1
            files[record.file, default: FileStats()].errors += 1
            return
        }
        count(
            action,
            records: 1,
            bytes: record.bytes,
            file: record.file,
            authorRole: record.authorRole,
            surface: record.surface
        )
        for category in record.categories { categories[category, default: 0] += 1 }
        for finding in record.findings { rules[finding.rule, default: 0] += 1 }
        if let campaign = record.campaign { note(campaign, text: record.text) }
        if action == .review { offerForReview(record) }
    }

    /// Counts `records` moderated records of one file, author role and surface that got `action`: the part
    /// of `add(record:)` every record goes through. A record allowed with no finding and no campaign is
    /// counted whole by it, so a scan can tally those per batch and add them at once.
    public mutating func count(
        _ action: Action,
        records: Int,
        bytes: Int,
        file: String,
        authorRole: Role,
        surface: Surface
    ) {
        var stats = files[file] ?? FileStats()
        stats.records += records
        stats.bytes += bytes
        switch action {
        case .allow:
            actions.allow += records
            stats.allow += records
        case .review:
            actions.review += records
            stats.review += records
        case .block:
            actions.block += records
            stats.block += records
        }
        files[file] = stats
        authorRoles[authorRole.rawValue, default: 0] += records
        surfaces[surface.rawValue, default: 0] += records
    }

    /// Lists `path` among the files even if it holds no records, so an empty input still shows up.
    public mutating func addFile(path: String) {
        if files[path] == nil { files[path] = FileStats() }
    }

    /// Records that the scan did not read `path`, and why.
    public mutating func addSkipped(path: String, reason: String) {
        skipped.append(SkippedFile(path: path, reason: reason))
    }

    /// Adds the counts of `other`, from another worker, another file or an earlier run of a resumed scan.
    ///
    /// Counts, bytes and `seconds` add up, so a resumed scan's time includes its earlier runs; per-worker
    /// summaries should leave `seconds` at 0 and let the scan set it once on the total. The time range widens
    /// to cover both (the timestamps must share the ISO 8601 UTC form, which sorts as text). The policy hash and
    /// engine version are kept when set: a scan that resumes under another policy should start a new summary.
    public mutating func merge(_ other: ScanSummary) {
        if policyHash.isEmpty { policyHash = other.policyHash }
        if engineVersion.isEmpty { engineVersion = other.engineVersion }
        startedAt = [startedAt, other.startedAt].compactMap(\.self).min()
        finishedAt = [finishedAt, other.finishedAt].compactMap(\.self).max()
        actions.allow += other.actions.allow
        actions.review += other.actions.review
        actions.block += other.actions.block
        errors += other.errors
        categories.merge(other.categories, uniquingKeysWith: +)
        rules.merge(other.rules, uniquingKeysWith: +)
        authorRoles.merge(other.authorRoles, uniquingKeysWith: +)
        surfaces.merge(other.surfaces, uniquingKeysWith: +)
        files.merge(other.files) { $0.adding($1) }
        for file in other.skipped where !skipped.contains(file) { skipped.append(file) }
        seconds += other.seconds
        reviewSample = ReviewItem.sample(reviewSample + other.reviewSample, limit: Self.maxReviewSample)
        for campaign in other.campaignsByID.values {
            if let known = campaignsByID[campaign.id] {
                campaignsByID[campaign.id]?.size = max(known.size, campaign.size)
                campaignsByID[campaign.id]?.authors = max(known.authors, campaign.authors)
            } else {
                campaignsByID[campaign.id] = campaign
            }
        }
        pruneCampaigns()
    }

    // MARK: - Samples

    /// Remembers `campaign` at its latest size; its first post seen gives the excerpt.
    private mutating func note(_ campaign: CampaignInfo, text: String) {
        if let known = campaignsByID[campaign.id] {
            // Sizes count "so far in the stream", so the largest seen is the latest.
            if campaign.size > known.size || campaign.authors > known.authors {
                campaignsByID[campaign.id]?.size = max(known.size, campaign.size)
                campaignsByID[campaign.id]?.authors = max(known.authors, campaign.authors)
            }
            return
        }
        let (excerpt, isCut) = text.prefix(scalars: Self.maxCampaignExcerptScalars)
        campaignsByID[campaign.id] = CampaignSample(
            id: campaign.id,
            size: campaign.size,
            authors: campaign.authors,
            excerpt: isCut ? excerpt + "…" : excerpt
        )
        pruneCampaigns()
    }

    /// Forgets the smallest campaigns once more than `campaignTrackingLimit` are tracked, keeping half.
    private mutating func pruneCampaigns() {
        guard campaignsByID.count > Self.campaignTrackingLimit else { return }
        let kept = campaignsByID.values.sorted(by: CampaignSample.isLarger).prefix(Self.campaignTrackingLimit / 2)
        campaignsByID = Dictionary(uniqueKeysWithValues: kept.map { ($0.id, $0) })
    }

    /// Puts `record` into the review sample if it ranks among the `maxReviewSample` most urgent, and is the most
    /// urgent of its campaign.
    ///
    /// This keeps the sample equal to `ReviewItem.sample` of every review post so far, whatever the order, so
    /// that merged worker summaries equal one summary of the whole input: a post that falls below the cut never
    /// comes back, since the cut only rises.
    private mutating func offerForReview(_ record: ScanRecordSummary) {
        // Rank a text-less stand-in first: most review posts don't make the cut, and cutting text costs.
        let standIn = ReviewItem(
            id: record.id,
            file: record.file,
            line: record.line,
            action: .review,
            priority: record.priority,
            score: record.score,
            text: "",
            findings: [],
            campaign: record.campaign?.id
        )
        if reviewSample.count >= Self.maxReviewSample, let last = reviewSample.last,
            !ReviewItem.isMoreUrgent(standIn, last)
        {
            return
        }
        if let campaign = standIn.campaign, let sibling = reviewSample.firstIndex(where: { $0.campaign == campaign }) {
            guard ReviewItem.isMoreUrgent(standIn, reviewSample[sibling]) else { return }
            reviewSample.remove(at: sibling)
        }
        let item = ReviewItem(record: record, maxScalars: Self.maxTextScalars)
        let index = reviewSample.firstIndex { ReviewItem.isMoreUrgent(item, $0) } ?? reviewSample.endIndex
        reviewSample.insert(item, at: index)
        if reviewSample.count > Self.maxReviewSample { reviewSample.removeLast() }
    }
}

extension FileStats {
    /// Both files' counts added up.
    func adding(_ other: FileStats) -> FileStats {
        FileStats(
            records: records + other.records,
            allow: allow + other.allow,
            review: review + other.review,
            block: block + other.block,
            errors: errors + other.errors,
            bytes: bytes + other.bytes
        )
    }
}

extension String {
    /// The longest run of whole characters from the start that has at most `scalars` code points, and whether
    /// anything was left out.
    ///
    /// It cuts between characters, not code points, so an emoji sequence is never split in half.
    func prefix(scalars limit: Int) -> (prefix: String, isCut: Bool) {
        var kept = 0
        for index in indices {
            let width = self[index].unicodeScalars.count
            if kept + width > limit { return (String(self[..<index]), true) }
            kept += width
        }
        return (self, false)
    }
}
