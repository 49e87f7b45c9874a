import Foundation
import Moderation
import Reporting
import Testing

/// Counting records, combining summaries, and `summary.json`.
struct ScanSummaryTests {
    @Test func countsEachRecordOnce() {
        var summary = ScanSummary()
        summary.add(record: Fixtures.record("fine", line: 1, action: .allow, role: .creator, surface: .post))
        summary.add(
            record: Fixtures.record(
                "send to my cashapp or venmo",
                line: 2,
                action: .review,
                priority: .high,
                score: 0.8,
                findings: [
                    ("cashapp", "offplatform.cashapp", "offplatform.payment"),
                    ("venmo", "offplatform.cashapp", "offplatform.payment"),
                ]
            )
        )
        summary.add(record: .error(file: "dump.jsonl", line: 3, bytes: 10, id: "dump.jsonl:3"))
        #expect(summary.actions == ActionCounts(allow: 1, review: 1, block: 0))
        #expect(summary.errors == 1)
        #expect(summary.records == 3)
        #expect(summary.categories == ["offplatform.payment": 1])
        #expect(summary.rules == ["offplatform.cashapp": 2])  // findings, not posts
        #expect(summary.authorRoles == ["creator": 1, "fan": 1])  // errors have no author
        #expect(summary.surfaces == ["post": 1, "comment": 1])
        let bytes = "fine".utf8.count + "send to my cashapp or venmo".utf8.count + 120 + 10
        #expect(summary.files == ["dump.jsonl": FileStats(records: 3, allow: 1, review: 1, errors: 1, bytes: bytes)])
        #expect(summary.reviewSample.map(\.id) == ["p2"])
    }

    @Test func jsonRoundTrip() throws {
        let summary = Fixtures.weekSummary()
        let data = try summary.jsonData()
        #expect(try JSONDecoder().decode(ScanSummary.self, from: data) == summary)
        #expect(try summary.jsonData() == data)  // stable: keys sorted, nothing random
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""author_roles" : {"#))
        #expect(text.contains(#""mb_per_second" : "#))
        #expect(text.contains("\"dumps/2026-11-17/posts.jsonl\""))  // slashes not escaped
        let keys = ["actions", "author_roles", "categories", "engine", "errors", "files", "finished_at", "policy"]
        let positions = keys.map { text.range(of: "\n  \"\($0)\"")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap(\.self) == positions.compactMap(\.self).sorted())
    }

    @Test func writeThenLoadContinuesCounting() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        var summary = Fixtures.weekSummary()
        try summary.write(to: url)
        var resumed = try ScanSummary.load(from: url)
        #expect(resumed == summary)
        let more = Fixtures.record("one more", line: 99_999, action: .allow)
        resumed.add(record: more)
        summary.add(record: more)
        #expect(resumed == summary)
    }

    @Test func loadSaysWhatIsWrong() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        var json = try JSONSerialization.jsonObject(with: try ScanSummary().jsonData()) as? [String: Any] ?? [:]
        json["version"] = ScanSummary.formatVersion + 1
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        #expect(
            throws: ReportingError.unreadableSummary(
                path: url.path,
                reason: "version: summary version 2 is newer than this triage reads (1)"
            )
        ) {
            try ScanSummary.load(from: url)
        }
    }

    @Test func mergeAddsUp() {
        let records = Fixtures.week()
        var whole = ScanSummary(policyHash: "sha256:p", engineVersion: "triage 0.1.0")
        for record in records { whole.add(record: record) }
        // Two workers taking every other record, each with its own summary.
        var even = ScanSummary(policyHash: "sha256:p", engineVersion: "triage 0.1.0")
        var odd = ScanSummary()
        for (index, record) in records.enumerated() {
            if index.isMultiple(of: 2) { even.add(record: record) } else { odd.add(record: record) }
        }
        even.startedAt = "2026-11-24T09:00:00Z"
        odd.startedAt = "2026-11-24T08:59:59Z"
        odd.finishedAt = "2026-11-24T09:00:30Z"
        even.seconds = 10
        odd.seconds = 20
        var merged = even
        merged.merge(odd)

        #expect(merged.actions.total == even.actions.total + odd.actions.total)
        #expect(merged.records == records.count)
        #expect(merged.rules["offplatform.cashapp"] == whole.rules["offplatform.cashapp"])
        #expect(merged.startedAt == "2026-11-24T08:59:59Z")
        #expect(merged.finishedAt == "2026-11-24T09:00:30Z")
        #expect(merged.seconds == 30)
        merged.startedAt = nil
        merged.finishedAt = nil
        merged.seconds = 0
        #expect(merged == whole)  // every count, the review sample and the campaigns, as if one worker did it all
    }

    @Test func samplesAreCappedAndRanked() {
        var summary = ScanSummary()
        for line in 1...200 {
            let priority: Priority = line % 50 == 0 ? .urgent : .normal
            summary.add(
                record: Fixtures.record(
                    "post \(line)",
                    line: line,
                    action: .review,
                    priority: priority,
                    score: Double(line % 7) / 10,
                    campaign: line % 2 == 1 ? CampaignInfo(id: "c\(line % 60)", size: line, authors: 1) : nil
                )
            )
        }
        #expect(summary.reviewSample.count == ScanSummary.maxReviewSample)
        #expect(summary.reviewSample.prefix(4).map(\.line) == [200, 150, 100, 50])  // urgent first, then by score
        #expect(summary.reviewSample[4].score == 0.6)
        let campaigns = summary.reviewSample.compactMap(\.campaign)
        #expect(!campaigns.isEmpty && Set(campaigns).count == campaigns.count)  // one post per campaign
        #expect(summary.topCampaigns.count == ScanSummary.maxCampaigns)
        #expect(summary.topCampaigns.first == CampaignSample(id: "c19", size: 199, authors: 1, excerpt: "post 19"))
    }

    @Test func longTextIsCutBetweenCharactersAndSpansAreClipped() throws {
        let text = String(repeating: "é", count: 998) + "👩🏽‍💻 cashapp"  // the emoji is 4 code points
        var summary = ScanSummary()
        var record = Fixtures.record(
            text,
            line: 1,
            action: .review,
            findings: [("cashapp", "offplatform.cashapp", "offplatform.payment")]
        )
        record.findings.append(
            Finding(
                rule: "spam.repeat",
                category: "spam",
                weight: 0.2,
                field: .body,
                start: 990,
                end: 1_000,
                excerpt: "éééééééééé",
                source: "classifier:repeat"
            )
        )
        summary.add(record: record)
        let item = try #require(summary.reviewSample.first)
        #expect(item.text == String(repeating: "é", count: 998))
        #expect(item.isTruncated)
        #expect(item.findings.map(\.rule) == ["spam.repeat"])
        #expect(item.findings.first?.end == 998)
    }

    @Test func timestampsAreUTC() {
        #expect(ScanSummary.timestamp(Date(timeIntervalSince1970: 1_795_514_400)) == "2026-11-24T10:00:00Z")
    }

    /// A scan counts plain allows per batch with `count`: that must be exactly what adding them one by one does.
    @Test func countingPlainAllowsAtOnceEqualsAddingThem() {
        var oneByOne = ScanSummary()
        for line in 1...7 {
            oneByOne.add(
                record: ScanRecordSummary(
                    file: "a.jsonl",
                    line: line,
                    bytes: 40,
                    id: "p\(line)",
                    action: .allow,
                    authorRole: .fan,
                    surface: .comment
                )
            )
        }
        var atOnce = ScanSummary()
        atOnce.count(.allow, records: 7, bytes: 280, file: "a.jsonl", authorRole: .fan, surface: .comment)
        #expect(atOnce == oneByOne)
    }
}
