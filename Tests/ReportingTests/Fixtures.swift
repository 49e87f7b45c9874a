import Moderation
import Reporting

/// Records and summaries to test with, built the way a scan would build them.
enum Fixtures {
    /// A finding for the first occurrence of `term` in `text`, with code point offsets as the engine gives them.
    static func finding(
        _ term: String,
        in text: String,
        rule: String,
        category: String,
        weight: Double = 0.6
    ) -> Finding {
        let scalars = Array(text.unicodeScalars)
        let needle = Array(term.unicodeScalars)
        let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<$0 + needle.count]) == needle }
        // A term missing from its text is a broken fixture, not a failing test.
        guard let start else { fatalError("\(term) is not in the fixture text") }
        return Finding(
            rule: rule,
            category: category,
            weight: weight,
            field: .body,
            start: start,
            end: start + needle.count,
            excerpt: term,
            source: "lexicons/test.yml:1"
        )
    }

    /// A moderated post from `file`, with its findings as (term, rule, category).
    static func record(
        _ text: String,
        file: String = "dump.jsonl",
        line: Int,
        action: Action,
        priority: Priority = .normal,
        score: Double = 0,
        findings: [(String, String, String)] = [],
        campaign: CampaignInfo? = nil,
        role: Role = .fan,
        surface: Surface = .comment
    ) -> ScanRecordSummary {
        let found = findings.map { finding($0.0, in: text, rule: $0.1, category: $0.2) }
        return ScanRecordSummary(
            file: file,
            line: line,
            bytes: text.utf8.count + 60,  // the JSON around the body
            id: "p\(line)",
            action: action,
            priority: priority,
            score: score,
            categories: Array(Set(found.map(\.category))).sorted(),
            findings: found,
            campaign: campaign,
            authorRole: role,
            surface: surface,
            text: text
        )
    }

    /// What a week of posts might look like: mostly allowed, some review, a few blocks, campaigns, errors.
    static func week(records: Int = 6_000) -> [ScanRecordSummary] {
        struct Kind {
            var texts: [String]
            var action: Action
            var priority: Priority
            var score: Double
            var findings: [(String, String, String)]
            var weight: Int
            /// Whether its posts are copies of one pitch, grouped as a campaign.
            var isCampaign = false
        }
        let kinds = [
            Kind(
                texts: [
                    "Loved the new photo set ✨ can't wait for Friday's stream!", "Café shoot today, merci à tous 💕",
                    "that outfit 🔥🔥", "Happy birthday!! 🎂 have the best day", "the lighting in this one is unreal",
                ],
                action: .allow,
                priority: .low,
                score: 0,
                findings: [],
                weight: 850
            ),
            Kind(
                texts: ["this is damn good content, no cap", "damn, the views from that hike"],
                action: .allow,
                priority: .low,
                score: 0.3,
                findings: [("damn", "profanity.mild", "profanity")],
                weight: 80
            ),
            Kind(
                texts: [
                    "hey babe 😘 send it to my cashapp instead, cheaper than here",
                    "skip the fees, my cashapp is in my bio 💸 same videos half price",
                    "Pagamento? só pelo cashapp, querida 😉 é mais barato",
                ],
                action: .review,
                priority: .high,
                score: 0.81,
                findings: [("cashapp", "offplatform.cashapp", "offplatform.payment")],
                weight: 50
            ),
            Kind(
                texts: ["Ganhe dinheiro fácil 💸 free money!!! click bit.ly/xx to claim your prize"],
                action: .review,
                priority: .normal,
                score: 0.72,
                findings: [("free money", "spam.free_money", "spam"), ("claim your prize", "scam.prize", "scam")],
                weight: 40,
                isCampaign: true
            ),
            Kind(
                texts: ["Official support team: verify your account at supp0rt-login.example or it will be deleted"],
                action: .review,
                priority: .high,
                score: 0.88,
                findings: [("verify your account", "scam.verify_account", "scam")],
                weight: 20,
                isCampaign: true
            ),
            Kind(
                texts: [
                    "I know where you live, 12 Elm Street, see you soon",
                    "Zoë, I know where you live. 12 Elm Street. Lock your door 🔪",
                ],
                action: .block,
                priority: .urgent,
                score: 0.97,
                findings: [
                    ("I know where you live", "threat.location", "harassment.threat"),
                    ("12 Elm Street", "pii.address", "pii"),
                ],
                weight: 6
            ),
            Kind(
                texts: ["full leaked vault 🔓 mega.nz link in bio, all her paid sets"],
                action: .block,
                priority: .high,
                score: 0.91,
                findings: [("leaked vault", "piracy.leak", "piracy")],
                weight: 8,
                isCampaign: true
            ),
            Kind(
                texts: [
                    "you're worthless, nobody would miss you",
                    "honestly you're worthless. log off, nobody would miss you 🙃",
                ],
                action: .review,
                priority: .urgent,
                score: 0.79,
                findings: [
                    ("worthless", "harassment.insult", "harassment"),
                    ("nobody would miss you", "selfharm.encourage", "self_harm"),
                ],
                weight: 3
            ),
            Kind(
                texts: ["Look <script>alert(1)</script> \"onerror=alert(2) – tap here & win"],
                action: .review,
                priority: .high,
                score: 0.9,
                findings: [("<script>alert(1)</script>", "spam.markup", "spam")],
                weight: 6
            ),
            Kind(
                texts: ["how old r u? 14 is fine, send a pic 📸 don't tell ur mom"],
                action: .review,
                priority: .urgent,
                score: 0.93,
                findings: [
                    ("how old r u", "minor.age_question", "minor_safety"),
                    ("send a pic", "minor.image_request", "minor_safety"),
                ],
                weight: 2
            ),
        ]
        let files = ["dumps/2026-11-17/posts.jsonl", "dumps/2026-11-17/comments.jsonl.gz", "dumps/2026-11-17/dms.csv"]
        let roles: [Role] = [.fan, .fan, .fan, .creator, .unknown]
        let surfaces: [Surface] = [.comment, .comment, .dm, .post, .caption, .bio]
        let totalWeight = kinds.reduce(0) { $0 + $1.weight }
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var campaignSizes: [String: Int] = [:]
        var lines = [0, 0, 0]
        return (0..<records).map { _ in
            let fileIndex = next(files.count)
            lines[fileIndex] += 1
            let line = lines[fileIndex]
            if next(1_000) < 2 {
                return .error(file: files[fileIndex], line: line, bytes: 300, id: "\(files[fileIndex]):\(line)")
            }
            var pick = next(totalWeight)
            let kind = kinds.first { kind in
                defer { pick -= kind.weight }
                return pick < kind.weight
            }!  // the weights add up to totalWeight
            var text = kind.texts[next(kind.texts.count)]
            if !kind.isCampaign, kind.action != .allow {
                // Addressed to someone, as most flagged posts are, so no two read quite the same.
                let names = ["Maya", "Zoë", "Jonas", "Ana", "Kwame", "Li", "Sofía", "Mateus", "Aisha", "Noor"]
                text = "@\(names[next(names.count)].lowercased())\(next(90) + 10) " + text
            }
            var campaign: CampaignInfo?
            if kind.isCampaign {
                let id = "c_" + String(UInt32(truncatingIfNeeded: text.utf8.count &* 2_654_435_761), radix: 16)
                campaignSizes[id, default: 0] += 1
                campaign = CampaignInfo(id: id, size: campaignSizes[id]!, authors: (campaignSizes[id]! * 2 + 2) / 3)
            }
            var record = record(
                text,
                file: files[fileIndex],
                line: line,
                action: kind.action,
                priority: kind.priority,
                score: kind.score - Double(next(20)) / 100,
                findings: kind.findings,
                campaign: campaign,
                role: roles[next(roles.count)],
                surface: surfaces[next(surfaces.count)]
            )
            record.id = "p_\(fileIndex + 1)\(String(line + 40_000, radix: 36))"
            record.bytes += 420  // author, recipient, surface and timestamps around the body
            return record
        }
    }

    /// The summary a scan of `week()` would write.
    static func weekSummary() -> ScanSummary {
        var summary = ScanSummary(
            policyHash: "sha256:9f2c4e1b7a0d3c58e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
            engineVersion: "triage 0.1.0",
            startedAt: "2026-11-24T09:00:00Z"
        )
        for record in week() { summary.add(record: record) }
        summary.addFile(path: "dumps/2026-11-17/empty.jsonl")
        summary.addSkipped(path: "dumps/2026-11-17/avatars.zip", reason: "not a supported format")
        summary.addSkipped(path: "dumps/2026-11-17/locked.jsonl", reason: "permission denied")
        summary.finishedAt = "2026-11-24T09:00:01Z"
        summary.seconds = 0.134
        return summary
    }
}
