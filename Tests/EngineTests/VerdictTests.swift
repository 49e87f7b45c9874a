import Engine
import Foundation
import Testing

/// What each classifier leads to with the shipped lexicons and policy: the action, the priority and the rule
/// a moderator sees, for positives and for the near misses real posts are full of.
struct VerdictTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var body: String
        /// The record's `author`, `to` and `surface` members, as JSON.
        var context: String
        var action: String
        var priority: String?
        /// A rule that must be among the findings (or, for `allow`, nothing is required).
        var rule: String?
        var testDescription: String { "\(action): \(body)" }
    }

    static let fanToCreatorDM = #""author":{"id":"f1","role":"fan"},"to":{"id":"c1","role":"creator"},"surface":"dm""#
    static let creatorToFanDM = #""author":{"id":"c1","role":"creator"},"to":{"id":"f1","role":"fan"},"surface":"dm""#
    static let fanComment = #""author":{"id":"f1","role":"fan"},"surface":"comment""#
    static let creatorPost = #""author":{"id":"c1","role":"creator"},"surface":"post""#

    static func moderation(of body: String, context: String) throws -> [String: Any] {
        let body = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        let line = #"{"id":"t1","body":\#(body),\#(context)}"#
        let processor = try RecordProcessorTests.processor()
        let output = processor.process(RecordProcessorTests.batch([line]), workers: 1)
        let record = try RecordProcessorTests.json(try #require(RecordProcessorTests.lines(output).first))
        return try #require(record["moderation"] as? [String: Any])
    }

    static func check(_ item: Case) throws {
        let moderation = try moderation(of: item.body, context: item.context)
        let rules = (moderation["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(moderation["action"] as? String == item.action, "findings: \(rules)")
        if let priority = item.priority { #expect(moderation["priority"] as? String == priority) }
        if let rule = item.rule { #expect(rules.contains(rule), "findings: \(rules)") }
    }

    @Test(arguments: [
        Case(
            body: "im 14 and i want to see ur pics, dont tell anyone ok",
            context: fanToCreatorDM,
            action: "block",
            priority: "urgent",
            rule: "minor_safety.age_sexual"
        ),
        Case(
            body: "i'm in 9th grade, add me on snap and send nudes",
            context: fanToCreatorDM,
            action: "block",
            priority: "urgent",
            rule: nil
        ),
        // An age alone goes to a person, fast, but nothing is blocked on it.
        Case(
            body: "im 14 and i love your videos",
            context: fanComment,
            action: "review",
            priority: "urgent",
            rule: nil
        ),
        // Minutes, sizes and years that are not ages are not signals.
        Case(body: "I'm 15 minutes late to the stream, sorry!", context: fanComment, action: "allow", rule: nil),
        Case(body: "my son turned 14 today and we went bowling", context: creatorPost, action: "allow", rule: nil),
    ])
    func minorSafety(_ item: Case) throws { try Self.check(item) }

    @Test(arguments: [
        Case(
            body: "i want to kill myself tonight",
            context: fanToCreatorDM,
            action: "review",
            priority: "high",
            rule: nil
        ),
        Case(body: "this set is killing me, so good", context: fanComment, action: "allow", rule: nil),
    ])
    func selfHarmIsReviewedNeverBlocked(_ item: Case) throws { try Self.check(item) }

    /// Self-harm goes to the welfare queue, staffed for it, not to a moderation queue.
    @Test func selfHarmGoesToTheWelfareQueue() throws {
        let moderation = try Self.moderation(of: "i want to kill myself tonight", context: Self.fanToCreatorDM)
        #expect(moderation["queue"] as? String == "welfare")
    }

    @Test(arguments: [
        Case(
            body:
                "Your account will be suspended. Verify your account within 24 hours at http://secure-login.example.xyz",
            context: fanToCreatorDM,
            action: "block",
            priority: "high",
            rule: nil
        ),
        Case(
            body: "double your crypto! send 0.1 btc and get 0.2 back, guaranteed",
            context: fanComment,
            action: "block",
            priority: nil,
            rule: nil
        ),
        Case(
            body: "Hi, this is the OnlyFans support team. Confirm your password here to keep your page",
            context: fanToCreatorDM,
            action: "block",
            priority: nil,
            rule: nil
        ),
        Case(
            body: "congrats!! you have won a free iphone, claim your prize now",
            context: fanComment,
            action: "review",
            rule: nil
        ),
        // Near misses: urgency without a credential, a giveaway a creator runs.
        Case(body: "only 24 hours left to watch the live replay!", context: creatorPost, action: "allow", rule: nil),
    ])
    func scamsAndPhishing(_ item: Case) throws { try Self.check(item) }

    /// Urgency and a credential request are reviewed on their words; with a link they are the phishing
    /// message itself, and the finding points at the link.
    @Test func phishingNeedsItsLink() throws {
        let words = "please verify your account"
        let reviewed = try Self.moderation(of: words, context: Self.fanToCreatorDM)
        let linked = try Self.moderation(
            of: words + " at https://0nlyfans-help.example.top/login",
            context: Self.fanToCreatorDM
        )
        #expect(reviewed["action"] as? String == "review")
        #expect(linked["action"] as? String == "block")
        let finding = try #require(
            (linked["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "scam.phishing_link" }
        )
        #expect((finding["excerpt"] as? String)?.hasPrefix("https://0nlyfans-help") == true)
    }

    @Test(arguments: [
        // The classic case: a creator asking a fan to pay elsewhere.
        Case(
            body: "pay me on cashapp $jessxo and I will send the full set",
            context: creatorToFanDM,
            action: "block",
            priority: "high",
            rule: "offplatform.cashapp"
        ),
        // The same words from a fan go to a person, not to block.
        Case(
            body: "pay me on cashapp $jessxo and I will send the full set",
            context: fanComment,
            action: "review",
            priority: nil,
            rule: "offplatform.cashapp"
        ),
        Case(
            body: "add me on telegram @jess_vip for the uncensored stuff",
            context: creatorToFanDM,
            action: "review",
            rule: nil
        ),
        Case(body: "I shared the new set on my page, link in bio", context: creatorPost, action: "allow", rule: nil),
    ])
    func offPlatformByDirection(_ item: Case) throws { try Self.check(item) }

    @Test(arguments: [
        // A valid card number in a post exposes it.
        Case(body: "card 4111 1111 1111 1111 exp 09/27", context: fanToCreatorDM, action: "block", rule: "pii.card"),
        // Sixteen digits failing Luhn are an order number.
        Case(body: "order 4111 1111 1111 1112 shipped", context: fanToCreatorDM, action: "allow", rule: nil),
        // Someone's address with a threat: a floor-level block.
        Case(
            body: "she lives at 1420 Maple Avenue, Springfield. go there and hurt her",
            context: fanComment,
            action: "block",
            priority: nil,
            rule: "pii.doxxing_threat"
        ),
    ])
    func personalData(_ item: Case) throws { try Self.check(item) }

    @Test(arguments: [
        // A comment that is only a shortened link: somewhere hidden to go, and nothing else.
        Case(body: "bit.ly/3xYz", context: fanComment, action: "review", rule: "spam.link_only"),
        Case(body: "https://youtu.be/abc123", context: fanComment, action: "allow", rule: nil),
        Case(
            body: "bit.ly/3xYz @a1 @b2 @c3 @d4 @e5 @f6",
            context: fanComment,
            action: "review",
            rule: "spam.mention_flood"
        ),
        Case(
            body: "FOLLOW FOR FOLLOW!!!!!!!!!!!! f4f l4l follow me back",
            context: fanComment,
            action: "review",
            rule: "spam.follow_trains"
        ),
        // A shortener in a legitimate post.
        Case(
            body: "new video is up, go watch it https://youtu.be/abc123 love you all",
            context: creatorPost,
            action: "allow",
            rule: nil
        ),
    ])
    func spamShapes(_ item: Case) throws { try Self.check(item) }
}
