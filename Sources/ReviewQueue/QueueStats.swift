/// The queue's health: what is waiting, how late, how well the SLA holds, and which rules are right.
public struct QueueStats: Sendable, Hashable, Codable {
    /// Open items.
    public var open: Int
    /// Open items per priority (`urgent`, `high`, `normal`, `low`; every key present).
    public var openByPriority: [String: Int]
    /// Open items by time since import.
    public var openByAge: AgeBuckets
    /// Open items past their deadline.
    public var overdue: Int
    /// Items with at least one decision.
    public var decided: Int
    /// Decided items that have a deadline, and those first decided at or before it.
    public var decidedWithDeadline: Int
    public var decidedOnTime: Int
    /// `decidedOnTime / decidedWithDeadline`, or `nil` before any decision.
    public var slaAttainment: Double?
    /// Per rule, the lowest precision first: the rules to fix or retire lead.
    public var rules: [RuleStats]

    public init(
        open: Int,
        openByPriority: [String: Int],
        openByAge: AgeBuckets,
        overdue: Int,
        decided: Int,
        decidedWithDeadline: Int,
        decidedOnTime: Int,
        slaAttainment: Double?,
        rules: [RuleStats]
    ) {
        self.open = open
        self.openByPriority = openByPriority
        self.openByAge = openByAge
        self.overdue = overdue
        self.decided = decided
        self.decidedWithDeadline = decidedWithDeadline
        self.decidedOnTime = decidedOnTime
        self.slaAttainment = slaAttainment
        self.rules = rules
    }

    /// Open items by hours since import.
    public struct AgeBuckets: Sendable, Hashable, Codable {
        public var underOneHour = 0
        public var oneToFourHours = 0
        public var fourToTwentyFourHours = 0
        public var overTwentyFourHours = 0

        public init() {}
    }

    /// How moderators judged one rule's findings.
    public struct RuleStats: Sendable, Hashable, Codable {
        public var rule: String
        public var category: String
        /// Decided items the rule found something in (each item once).
        public var decided: Int
        public var removed: Int
        public var approved: Int
        /// `removed / decided`: how often the rule's finding was right. Low precision means the rule mostly
        /// sends moderators harmless posts.
        public var precision: Double

        public init(rule: String, category: String, decided: Int, removed: Int, approved: Int) {
            self.rule = rule
            self.category = category
            self.decided = decided
            self.removed = removed
            self.approved = approved
            precision = decided == 0 ? 0 : Double(removed) / Double(decided)
        }
    }
}
