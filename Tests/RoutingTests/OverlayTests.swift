import Moderation
import Routing
import Testing

/// A creator's or community's overlay may tighten anything and loosen only what is not a floor.
struct OverlayTests {
    static let base = """
        default: {review: 0.5, block: 0.9}
        categories:
          profanity: {review: off, block: off}
          minor_safety: {review: 0.3, block: 0.6, priority: urgent, sla_hours: 1, floor: true}
        """

    static func policy() throws -> Policy { try Policy(parsing: base, file: "policy.yml") }

    @Test func tighteningIsApplied() throws {
        let overlay = "categories:\n  profanity: {review: 0.2}\n  minor_safety: {review: 0.1}\n"
        let policy = try Self.policy().applying(overlay: overlay, file: "creator.yml")
        #expect(policy.thresholds(for: "profanity").review == 0.2)
        #expect(policy.thresholds(for: "profanity").block == nil)  // left out: kept
        #expect(policy.thresholds(for: "minor_safety").review == 0.1)
        #expect(policy.thresholds(for: "minor_safety").isFloor)
    }

    @Test func looseningWhatIsNotAFloorIsAllowed() throws {
        let policy = try Self.policy().applying(overlay: "default: {review: 0.8}\n", file: "creator.yml")
        #expect(policy.thresholds(for: "spam").review == 0.8)
    }

    @Test(arguments: [
        (
            "categories:\n  minor_safety: {review: 0.9}\n",
            "creator.yml:2:3: 'minor_safety' is a floor: review threshold 0.9 is looser than 0.3"
        ),
        (
            "categories:\n  minor_safety: {block: off}\n",
            "creator.yml:2:3: 'minor_safety' is a floor: block threshold off is looser than 0.6"
        ),
        (
            "overrides:\n  - when: {surfaces: [dm]}\n    categories:\n      minor_safety: {review: 0.5}\n",
            "creator.yml:4:7: 'minor_safety' is a floor: review threshold 0.5 is looser than 0.3"
        ),
    ])
    func looseningAFloorIsAnErrorThatSaysWhere(overlay: String, message: String) throws {
        let policy = try Self.policy()
        #expect(throws: RoutingError.self) { try policy.applying(overlay: overlay, file: "creator.yml") }
        do {
            _ = try policy.applying(overlay: overlay, file: "creator.yml")
        } catch {
            #expect(error.description == message)
        }
    }
}
