import Routing
import Testing

/// `heuristics:` in policy.yml switches built-in heuristics off or changes their weights.
struct HeuristicSettingsTests {
    static let yaml = """
        heuristics:
          heuristic.shouting: {enabled: false}
          pii: {weight: 0.5}
          pii.card: {weight: 1}
        """

    @Test func settingsAreFoundByIdThenPrefix() throws {
        let policy = try Policy(parsing: Self.yaml, file: "policy.yml")
        #expect(policy.heuristicSetting(for: "heuristic.shouting") == Policy.HeuristicSetting(isEnabled: false))
        #expect(policy.heuristicSetting(for: "pii.card")?.weight == 1)
        #expect(policy.heuristicSetting(for: "pii.email")?.weight == 0.5)
        #expect(policy.heuristicSetting(for: "evasion.mixed_script") == nil)
    }

    @Test(arguments: [
        ("heuristics:\n  pii: {wieght: 0.5}\n", "policy.yml:2:9: unknown key 'wieght'; did you mean 'weight'?"),
        ("heuristics:\n  pii: {weight: 2}\n", "policy.yml:2:17: weight must be above 0 and at most 1"),
    ])
    func badSettingsSayWhere(yaml: String, message: String) {
        #expect(
            throws: RoutingError.invalidPolicy(
                location: String(message.prefix { $0 != " " }.dropLast()),
                reason: String(message.drop { $0 != " " }.dropFirst())
            )
        ) {
            try Policy(parsing: yaml, file: "policy.yml")
        }
    }
}
