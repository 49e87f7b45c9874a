import Foundation
import Moderation
import Testing

@testable import Routing

struct PolicyTests {
    static func finding(_ category: String, _ weight: Double, rule: String? = nil) -> Finding {
        Finding(
            rule: rule ?? category + ".rule",
            category: category,
            weight: weight,
            field: .body,
            start: 0,
            end: 1,
            excerpt: "x",
            source: "test.yml:1"
        )
    }

    static let simple = Policy(defaults: .init(review: 0.5, block: 0.9))

    static func policy(_ yaml: String) throws(RoutingError) -> Policy {
        try Policy(parsing: yaml, file: "policy.yml")
    }

    // MARK: - Scores

    @Test(
        arguments: [
            ([0.5, 0.5], 0.75),
            ([0.6], 0.6),
            ([0.3, 0.3, 0.3], 0.657),
            ([1, 0.2], 1),
            ([0.2, 0.1], 0.28),
            ([0.33333], 0.3333),
        ] as [([Double], Double)]
    )
    func scoresAreNoisyOr(weights: [Double], expected: Double) {
        let findings = weights.enumerated().map { Self.finding("spam", $1, rule: "spam.rule\($0)") }
        let verdict = Self.simple.decide(findings, context: PostContext(), createdAt: nil)
        #expect(verdict.categories.count == 1)
        #expect(verdict.categories.first?.name == "spam")
        #expect(verdict.categories.first?.score == expected)
        #expect(verdict.score == expected)
    }

    @Test func eachCategoryIsScoredOnItsOwnInFirstSeenOrder() {
        let findings = [
            Self.finding("spam", 0.5, rule: "spam.a"), Self.finding("scam", 0.2),
            Self.finding("spam", 0.5, rule: "spam.b"),
        ]
        let verdict = Self.simple.decide(findings, context: PostContext(), createdAt: nil)
        #expect(verdict.categories.map(\.name) == ["spam", "scam"])
        #expect(verdict.categories.map(\.score) == [0.75, 0.2])
        #expect(verdict.score == 0.75)
        #expect(verdict.findings == findings)
    }

    @Test func aRuleCountsOncePerPostAtItsHighestWeight() {
        let findings = [
            Self.finding("spam", 0.5, rule: "spam.a"), Self.finding("spam", 0.6, rule: "spam.a"),
            Self.finding("spam", 0.5, rule: "spam.a"),
        ]
        let verdict = Self.simple.decide(findings, context: PostContext(), createdAt: nil)
        #expect(verdict.categories.map(\.score) == [0.6])
        #expect(verdict.findings.count == 3)
    }

    @Test(
        arguments: [
            (0.1, Action.allow),
            (0.49, .allow),
            (0.5, .review),
            (0.89, .review),
            (0.9, .block),
            (1, .block),
        ] as [(Double, Action)]
    )
    func thresholdsPickTheAction(weight: Double, action: Action) {
        let verdict = Self.simple.decide([Self.finding("spam", weight)], context: PostContext(), createdAt: nil)
        #expect(verdict.action == action)
        #expect(verdict.queue == (action == .allow ? "allow" : "spam"))
    }

    @Test func noFindingsIsAllow() {
        let verdict = Self.simple.decide([], context: PostContext(), createdAt: "2026-11-24T10:00:00Z")
        #expect(verdict.action == .allow)
        #expect(verdict.queue == "allow")
        #expect(verdict.priority == .low)
        #expect(verdict.dueAt == nil)
        #expect(verdict.score == 0)
        #expect(verdict.categories.isEmpty)
    }

    @Test func theMostSevereCategoryDrivesQueueAndPriority() throws {
        let policy = try Self.policy(
            """
            default: {review: 0.5, block: 0.9, priority: normal, sla_hours: 24}
            categories:
              spam: {review: 0.4, block: 0.9, priority: low, sla_hours: 48}
              scam: {review: 0.4, block: 0.85, priority: high, sla_hours: 4}
              hate: {review: 0.4, block: 0.6, priority: normal, sla_hours: 8}
            """
        )
        // Both review: the higher priority wins.
        let review = policy.decide(
            [Self.finding("spam", 0.7), Self.finding("scam", 0.5)],
            context: PostContext(),
            createdAt: nil
        )
        #expect((review.action, review.queue, review.priority) == (.review, "scam", .high))
        // A block beats any review, whatever its priority.
        let block = policy.decide(
            [Self.finding("scam", 0.5), Self.finding("hate", 0.7)],
            context: PostContext(),
            createdAt: "2026-11-24T10:00:00Z"
        )
        #expect((block.action, block.queue, block.priority) == (.block, "hate", .normal))
        #expect(block.dueAt == "2026-11-24T18:00:00Z")
    }

    // MARK: - Lookup

    static let parented = """
        default: {review: 0.5, block: 0.9, priority: normal, sla_hours: 24}
        categories:
          harassment: {review: 0.2, block: 0.7, priority: high, sla_hours: 6}
          offplatform.payment: {review: 0.4}
        """

    @Test func childCategoriesFallBackToTheirParent() throws {
        let policy = try Self.policy(Self.parented)
        let parent = policy.thresholds(for: "harassment")
        #expect(parent == Policy.Thresholds(review: 0.2, block: 0.7, priority: .high, slaHours: 6))
        #expect(policy.thresholds(for: "harassment.threat") == parent)
        #expect(policy.thresholds(for: "harassment.threat.death") == parent)
        #expect(policy.thresholds(for: "harassmentx") == policy.defaults)
        #expect(policy.thresholds(for: "offplatform.contact") == policy.defaults)
        // A category entry starts from the defaults for what it leaves out.
        #expect(
            policy.thresholds(for: "offplatform.payment")
                == Policy.Thresholds(review: 0.4, block: 0.9, priority: .normal, slaHours: 24)
        )

        let verdict = policy.decide(
            [Self.finding("harassment.threat", 0.3)],
            context: PostContext(),
            createdAt: "2026-11-24T10:00:00Z"
        )
        #expect(verdict.action == .review)
        #expect(verdict.queue == "harassment.threat")
        #expect(verdict.priority == .high)
        #expect(verdict.dueAt == "2026-11-24T16:00:00Z")
    }

    @Test func offThresholdsNeverFire() throws {
        let policy = try Self.policy(
            """
            categories:
              profanity: {review: off, block: off}
              self_harm: {review: 0.3, block: never}
              other: {review: "no", block: 0.5}
            """
        )
        #expect(policy.thresholds(for: "profanity").review == nil)
        #expect(policy.thresholds(for: "profanity").block == nil)
        #expect(policy.decide([Self.finding("profanity", 1)], context: PostContext(), createdAt: nil).action == .allow)
        #expect(policy.decide([Self.finding("self_harm", 1)], context: PostContext(), createdAt: nil).action == .review)
        #expect(policy.decide([Self.finding("other", 0.4)], context: PostContext(), createdAt: nil).action == .allow)
        #expect(policy.decide([Self.finding("other", 0.5)], context: PostContext(), createdAt: nil).action == .block)
        // With no `default`, the built-in defaults are 0.5 and 0.9.
        #expect(policy.defaults == Policy.Thresholds(review: 0.5, block: 0.9))
    }

    // MARK: - Overrides and floors

    static let overridden = """
        default: {review: 0.5, block: 0.9, priority: normal, sla_hours: 24}
        categories:
          sexual: {review: 0.6, block: off, priority: low, sla_hours: 48}
          minor_safety: {review: 0.3, block: 0.6, priority: urgent, sla_hours: 1, floor: true}
          harassment.threat: {review: 0.3, block: 0.8, priority: high, sla_hours: 4, floor: true}
        overrides:
          - when: {authors: [creator], surfaces: [post, caption]}
            categories:
              sexual: {review: off, block: off}
              minor_safety: {review: off, block: off, priority: low, sla_hours: 100}
              harassment: {review: 0.9, block: off}
          - when: {authors: [fan], surfaces: [comment]}
            categories:
              sexual: {review: 0.4, block: 0.8}
              minor_safety: {review: 0.2, block: 0.9}
          - when: {authors: [fan], recipients: [creator], surfaces: [dm]}
            categories:
              sexual: {review: 0.8}
        """

    @Test(arguments: [
        // No override applies: the base.
        (PostContext(), "sexual", Policy.Thresholds(review: 0.6, block: nil, priority: .low, slaHours: 48)),
        (
            PostContext(authorRole: .creator, surface: .dm), "sexual",
            .init(review: 0.6, block: nil, priority: .low, slaHours: 48)
        ),
        (
            PostContext(authorRole: .fan, surface: .post), "sexual",
            .init(review: 0.6, block: nil, priority: .low, slaHours: 48)
        ),
        // Author and surface both match: replaced.
        (
            PostContext(authorRole: .creator, surface: .post), "sexual",
            .init(review: nil, block: nil, priority: .low, slaHours: 48)
        ),
        (
            PostContext(authorRole: .creator, surface: .caption), "sexual",
            .init(review: nil, block: nil, priority: .low, slaHours: 48)
        ),
        (
            PostContext(authorRole: .fan, surface: .comment), "sexual",
            .init(review: 0.4, block: 0.8, priority: .low, slaHours: 48)
        ),
        // Recipients must match too; an override entry covers child categories.
        (
            PostContext(authorRole: .fan, recipientRole: .creator, surface: .dm), "sexual.unwanted",
            .init(review: 0.8, block: nil, priority: .low, slaHours: 48)
        ),
        (
            PostContext(authorRole: .fan, recipientRole: .fan, surface: .dm), "sexual.unwanted",
            .init(review: 0.6, block: nil, priority: .low, slaHours: 48)
        ),
        // A floor keeps the stricter value of each threshold: an override cannot loosen it...
        (
            PostContext(authorRole: .creator, surface: .post), "minor_safety",
            .init(review: 0.3, block: 0.6, priority: .urgent, slaHours: 1, isFloor: true)
        ),
        (
            PostContext(authorRole: .creator, surface: .post), "harassment.threat",
            .init(review: 0.3, block: 0.8, priority: .high, slaHours: 4, isFloor: true)
        ),
        // ...but can tighten it.
        (
            PostContext(authorRole: .fan, surface: .comment), "minor_safety",
            .init(review: 0.2, block: 0.6, priority: .urgent, slaHours: 1, isFloor: true)
        ),
    ])
    func overridesApplyByContext(context: PostContext, category: String, expected: Policy.Thresholds) throws {
        let policy = try Self.policy(Self.overridden)
        #expect(policy.thresholds(for: category, in: context) == expected)
    }

    @Test func aFloorCannotBeLoosenedInADecision() throws {
        let policy = try Self.policy(Self.overridden)
        let creatorPost = PostContext(authorRole: .creator, surface: .post)
        let verdict = policy.decide(
            [Self.finding("minor_safety", 0.65)],
            context: creatorPost,
            createdAt: "2026-11-24T10:00:00Z"
        )
        #expect(verdict.action == .block)
        #expect(verdict.queue == "minor_safety")
        #expect(verdict.priority == .urgent)
        #expect(verdict.dueAt == "2026-11-24T11:00:00Z")
        // The same override does loosen a category without a floor.
        #expect(policy.decide([Self.finding("sexual", 0.99)], context: creatorPost, createdAt: nil).action == .allow)
        #expect(policy.decide([Self.finding("sexual", 0.99)], context: PostContext(), createdAt: nil).action == .review)
    }

    // MARK: - Deadlines

    @Test(arguments: [
        ("2026-11-24T10:00:00Z", 4.0, "2026-11-24T14:00:00Z"),
        ("2026-11-24T10:00:00+02:00", 4, "2026-11-24T12:00:00Z"),
        ("2026-11-24T10:00:00-05:30", 4, "2026-11-24T19:30:00Z"),
        ("2026-11-24T10:00:00.123456Z", 4, "2026-11-24T14:00:00Z"),
        ("2026-11-24t10:00:00z", 4, "2026-11-24T14:00:00Z"),
        ("2026-11-24T10:00:00", 4, "2026-11-24T14:00:00Z"),
        ("2026-11-24T10:00:00Z", 1.5, "2026-11-24T11:30:00Z"),
        ("2026-12-31T22:30:00Z", 4, "2027-01-01T02:30:00Z"),
        ("2028-02-28T23:00:00Z", 2, "2028-02-29T01:00:00Z"),
        ("2027-02-28T23:00:00Z", 2, "2027-03-01T01:00:00Z"),
        ("2026-01-01T01:00:00+03:00", 1, "2025-12-31T23:00:00Z"),
        ("1970-01-01T00:00:00Z", 48, "1970-01-03T00:00:00Z"),
    ])
    func deadlineIsCreatedAtPlusSLA(createdAt: String, hours: Double, dueAt: String) throws {
        #expect(Timestamp.adding(hours: hours, to: createdAt) == dueAt)
        let policy = Policy(defaults: .init(review: 0.5, block: 0.9, priority: .high, slaHours: hours))
        let verdict = policy.decide([Self.finding("spam", 0.6)], context: PostContext(), createdAt: createdAt)
        #expect(verdict.dueAt == dueAt)
    }

    @Test(arguments: [
        "yesterday", "", "2026-11-24", "2026-11-24 10:00:00Z", "2026-13-24T10:00:00Z", "2026-11-24T25:00:00Z",
        "2026-11-24T10:00:00+0200", "2026-11-24T10:00:00Zjunk", "20x6-11-24T10:00:00Z",
    ])
    func unreadableCreatedAtHasNoDeadline(createdAt: String) {
        #expect(Timestamp.adding(hours: 4, to: createdAt) == nil)
        let verdict = Self.simple.decide([Self.finding("spam", 0.6)], context: PostContext(), createdAt: createdAt)
        #expect(verdict.action == .review)
        #expect(verdict.dueAt == nil)
    }

    // MARK: - Parse errors

    @Test(arguments: [
        (
            "defualt: {review: 0.5}",
            RoutingError.invalidPolicy(
                location: "policy.yml:1:1",
                reason: "unknown key 'defualt'; did you mean 'default'?"
            )
        ),
        (
            "categories:\n  spam: {reveiw: 0.5}",
            .invalidPolicy(location: "policy.yml:2:10", reason: "unknown key 'reveiw'; did you mean 'review'?")
        ),
        (
            "categories:\n  spam: {review: lots}",
            .invalidPolicy(location: "policy.yml:2:18", reason: "expected a number or 'off'")
        ),
        (
            "categories:\n  spam: {priority: asap}",
            .invalidPolicy(
                location: "policy.yml:2:20",
                reason: "unknown priority; expected low, normal, high or urgent"
            )
        ),
        (
            "categories:\n  spam: {sla_hours: 0}",
            .invalidPolicy(location: "policy.yml:2:21", reason: "sla_hours must be above 0")
        ),
        (
            "categories:\n  spam: {floor: maybe}",
            .invalidPolicy(location: "policy.yml:2:17", reason: "expected true or false")
        ),
        (
            "overrides:\n  - when: {authors: [creator]}\n",
            .invalidPolicy(location: "policy.yml:2:5", reason: "an override needs 'categories'")
        ),
        (
            "overrides:\n  - when: {surfaces: [forum]}\n    categories: {spam: {review: off}}\n",
            .invalidPolicy(
                location: "policy.yml:2:23",
                reason: "unknown surface; expected post, comment, dm, bio or caption"
            )
        ),
        (
            "overrides:\n  - when: {authors: [admin]}\n    categories: {spam: {review: off}}\n",
            .invalidPolicy(location: "policy.yml:2:22", reason: "unknown role; expected creator, fan or staff")
        ),
        (
            "overrides:\n  - when: {author: [fan]}\n    categories: {spam: {review: off}}\n",
            .invalidPolicy(location: "policy.yml:2:12", reason: "unknown key 'author'; did you mean 'authors'?")
        ),
    ])
    func parseErrorsSayWhere(yaml: String, error: RoutingError) {
        #expect(throws: error) {
            try Self.policy(yaml)
        }
    }

    @Test func yamlSyntaxErrorSaysWhere() throws {
        let error = try #require(throws: RoutingError.self) {
            try Self.policy("categories:\n  spam: {review: 0.5\n")
        }
        guard case .invalidPolicy(let location, let reason) = error else { return }
        #expect(location.hasPrefix("policy.yml:"))
        #expect(location.split(separator: ":").count == 3)
        #expect(reason.hasPrefix("YAML: "))
        #expect(error.description == "\(location): \(reason)")
    }

    // MARK: - The shipped policy

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shippedPolicy() throws -> Policy {
        let url = packageRoot.appendingPathComponent("lexicons/policy.yml")
        return try Policy(parsing: String(contentsOf: url, encoding: .utf8), file: "lexicons/policy.yml")
    }

    @Test func shippedPolicyParses() throws {
        let policy = try Self.shippedPolicy()
        #expect(policy.defaults == Policy.Thresholds(review: 0.5, block: 0.9, priority: .normal, slaHours: 24))
        #expect(policy.overrides.count == 7)
        for floored in ["minor_safety", "harassment.threat", "pii"] {
            #expect(policy.thresholds(for: floored).isFloor, "\(floored)")
        }
        #expect(!policy.thresholds(for: "harassment").isFloor)
        #expect(policy.thresholds(for: "profanity").review == nil)
        #expect(policy.thresholds(for: "self_harm").block == nil)
        #expect(policy.thresholds(for: "offplatform.payment").review == 0.4)
        #expect(policy.overrides.first?.source == "lexicons/policy.yml:53")
    }

    @Test func shippedPolicyRoutesAFansPaymentDMToHighPriorityReview() throws {
        let policy = try Self.shippedPolicy()
        let fanDM = PostContext(authorRole: .fan, recipientRole: .creator, surface: .dm)
        let verdict = policy.decide(
            [Self.finding("offplatform.payment", 0.35)],
            context: fanDM,
            createdAt: "2026-11-24T10:00:00+02:00"
        )
        #expect(verdict.action == .review)
        #expect(verdict.queue == "offplatform.payment")
        #expect(verdict.priority == .high)
        #expect(verdict.dueAt == "2026-11-24T16:00:00Z")
        // Direction: a creator asking fans to pay elsewhere is reviewed at a lower score, with high priority;
        // the same weak finding in a fan's public comment stays below the payment threshold.
        let post = policy.decide(
            [Self.finding("offplatform.payment", 0.35)],
            context: PostContext(authorRole: .creator, surface: .post),
            createdAt: nil
        )
        #expect(post.action == .review)
        #expect(post.priority == .high)
        let comment = policy.decide(
            [Self.finding("offplatform.payment", 0.35)],
            context: PostContext(authorRole: .fan, surface: .comment),
            createdAt: nil
        )
        #expect(comment.action == .allow)
    }

    @Test func shippedPolicyFloorsSurviveTheStaffOverride() throws {
        let policy = try Self.shippedPolicy()
        let staff = PostContext(authorRole: .staff, surface: .dm)
        #expect(policy.decide([Self.finding("scam", 1)], context: staff, createdAt: nil).action == .allow)
        #expect(
            policy.decide([Self.finding("harassment.threat", 0.85)], context: staff, createdAt: nil).action == .block
        )
    }
}
