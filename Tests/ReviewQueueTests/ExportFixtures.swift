import Foundation
import ReviewQueue

/// Queue items for the export tests.
enum ExportFixtures {
    /// The clock the tests export at.
    static let now = ISO8601DateFormatter().date(from: "2026-11-24T12:00:00Z")!  // a valid literal

    static func finding(
        _ rule: String,
        _ category: String,
        _ start: Int,
        _ end: Int,
        in text: String,
        field: String = "body",
        weight: Double = 0.5
    ) -> QueueFinding {
        let scalars = Array(text.unicodeScalars)
        var excerpt = String.UnicodeScalarView()
        if field != "link", start < end, end <= scalars.count { excerpt.append(contentsOf: scalars[start..<end]) }
        return QueueFinding(
            rule: rule,
            category: category,
            weight: weight,
            field: field,
            start: start,
            end: end,
            excerpt: String(excerpt),
            source: "lexicons/test.yml:1"
        )
    }

    static func item(
        key: Int64 = 1,
        postID: String = "p_1",
        text: String = "pay me on venmo",
        priority: String = "high",
        dueAt: String? = "2026-11-24T11:00:00Z",
        status: String = "open",
        findings: [QueueFinding]? = nil,
        categories: [String: Double] = ["offplatform.payment": 0.91, "spam": 0.2],
        campaign: QueueCampaign? = QueueCampaign(id: "c_9", size: 42, authors: 17),
        decisions: [QueueDecision] = []
    ) -> QueueItem {
        QueueItem(
            key: key,
            externalID: "tq_\(postID)_abc123",
            postID: postID,
            text: text,
            action: "review",
            queue: "offplatform.payment",
            priority: priority,
            dueAt: dueAt,
            score: 0.91,
            categories: categories,
            findings: findings ?? [finding("offplatform.payment", "offplatform.payment", 7, 15, in: text, weight: 0.9)],
            campaign: campaign,
            policy: "sha256:0f00",
            sourceFile: "posts/2026-11-24.jsonl",
            sourceLine: Int(key),
            authorRole: "fan",
            surface: "dm",
            importedAt: "2026-11-24T08:00:00Z",
            status: status,
            decisions: decisions
        )
    }

    /// A post that is hostile to every format at once: markup, formula, quotes, commas and line breaks.
    static let hostileText = """
        =HYPERLINK("http://evil") <script>alert(1)</script> "><img src=x onerror=alert(1)>, call \
        +1 555 0100 or mail jo@example.com
        second line
        """

    /// An item of `hostileText` with a PII finding on the phone number and the e-mail address, and a hate
    /// finding on the script tag.
    static func hostile() -> QueueItem {
        let text = hostileText
        func offset(of needle: String) -> Int {
            let range = text.range(of: needle)!  // the fixture holds every needle
            return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
        }
        let phone = offset(of: "+1 555 0100")
        let email = offset(of: "jo@example.com")
        let script = offset(of: "<script>")
        return item(
            key: 7,
            postID: "p_\"7\"",
            text: text,
            findings: [
                finding("hate.test", "hate", script, script + 8, in: text, weight: 0.8),
                finding("pii.phone", "pii", phone, phone + 11, in: text, weight: 0.3),
                finding("pii.email", "pii", email, email + 14, in: text, weight: 0.3),
            ],
            categories: ["hate": 0.8, "pii": 0.3]
        )
    }
}
