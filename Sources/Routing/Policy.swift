public import Moderation
internal import YAMLSupport

/// Turns findings into one verdict: category scores, per-category thresholds, role and surface overrides,
/// and floors that no override may loosen.
///
/// A category's score is the noisy-or of the weights of the rules that fired, `1 - Π(1 - wᵢ)`: each rule is
/// independent evidence counted once per post, two weak rules add up, and the score never passes 1.
public struct Policy: Sendable {
    /// Thresholds and review settings for one category.
    public struct Thresholds: Sendable, Equatable {
        /// Score at or above which a post goes to review; `nil` never.
        public var review: Double?
        /// Score at or above which a post is blocked; `nil` never.
        public var block: Double?
        /// Review priority when this category drives the verdict.
        public var priority: Priority
        /// Hours a reviewer has before the item is overdue.
        public var slaHours: Double
        /// Whether overrides may not loosen these thresholds.
        public var isFloor: Bool
        /// The queue reviewers work these posts in, when not the category's own name (self-harm goes to a
        /// `welfare` queue staffed for it).
        public var queue: String?

        public init(
            review: Double?,
            block: Double?,
            priority: Priority = .normal,
            slaHours: Double = 24,
            isFloor: Bool = false,
            queue: String? = nil
        ) {
            self.review = review
            self.block = block
            self.priority = priority
            self.slaHours = slaHours
            self.isFloor = isFloor
            self.queue = queue
        }
    }

    /// A change of thresholds for posts in some context.
    public struct Override: Sendable {
        /// The posts it applies to.
        public var scope: ContextScope
        /// New thresholds by category.
        public var categories: [String: Thresholds]
        /// Where it is written.
        public var source: String
        /// Where each category's entry is written, as `file:line:column`.
        public var categorySources: [String: String]

        public init(
            scope: ContextScope,
            categories: [String: Thresholds],
            source: String,
            categorySources: [String: String] = [:]
        ) {
            self.scope = scope
            self.categories = categories
            self.source = source
            self.categorySources = categorySources
        }
    }

    /// Thresholds for categories with no entry of their own (or of a parent).
    public var defaults: Thresholds
    /// Thresholds by category name.
    public var categories: [String: Thresholds]
    /// Overrides, applied in file order.
    public var overrides: [Override]
    /// Settings of built-in heuristics by rule id or id prefix (`heuristic.shouting`, `pii`).
    public var heuristics: [String: HeuristicSetting] = [:]

    /// Whether a built-in heuristic runs, and the weight its findings carry.
    public struct HeuristicSetting: Sendable, Equatable {
        /// `false` switches the heuristic off.
        public var isEnabled: Bool
        /// A weight that replaces the heuristic's own, from 0 to 1.
        public var weight: Double?

        public init(isEnabled: Bool = true, weight: Double? = nil) {
            self.isEnabled = isEnabled
            self.weight = weight
        }
    }

    public init(defaults: Thresholds, categories: [String: Thresholds] = [:], overrides: [Override] = []) {
        self.defaults = defaults
        self.categories = categories
        self.overrides = overrides
    }

    /// The setting for heuristic rule `rule`: its own entry, else its closest prefix (`pii.card` → `pii`).
    public func heuristicSetting(for rule: String) -> HeuristicSetting? {
        guard !heuristics.isEmpty else { return nil }
        var name = Substring(rule)
        while true {
            if let found = heuristics[String(name)] { return found }
            guard let dot = name.lastIndex(of: ".") else { return nil }
            name = name[..<dot]
        }
    }

    /// The thresholds for `category`: its own entry, else its parent's (`harassment.threat` → `harassment`),
    /// else the defaults.
    public func thresholds(for category: String) -> Thresholds {
        // The exact name first: making a `String` of the whole name again would allocate.
        if let found = categories[category] { return found }
        var name = Substring(category)
        while true {
            if let found = categories[String(name)] { return found }
            guard let dot = name.lastIndex(of: ".") else { return defaults }
            name = name[..<dot]
        }
    }

    /// The thresholds for `category` once the overrides that apply to `context` are taken into account.
    ///
    /// A floored category keeps whichever of the base and the override is stricter, threshold by threshold.
    public func thresholds(for category: String, in context: PostContext) -> Thresholds {
        var result = thresholds(for: category)
        for override in overrides where override.scope.admits(context) {
            guard let changed = Self.lookup(category, in: override.categories) else { continue }
            if result.isFloor {
                result.review = Self.stricter(result.review, changed.review)
                result.block = Self.stricter(result.block, changed.block)
                result.priority = max(result.priority, changed.priority)
                result.slaHours = min(result.slaHours, changed.slaHours)
            } else {
                result = changed
            }
        }
        return result
    }

    /// How the thresholds for `category` in `context` came about, step by step, for `triage explain`.
    public func trace(for category: String, in context: PostContext) -> (thresholds: Thresholds, steps: [String]) {
        var steps: [String] = []
        var name = Substring(category)
        var origin = "default"
        while true {
            if categories[String(name)] != nil {
                origin = "categories.\(name)"
                break
            }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = name[..<dot]
        }
        var result = thresholds(for: category)
        steps.append("\(origin): \(Self.describe(result))\(result.isFloor ? " (floor)" : "")")
        for override in overrides where override.scope.admits(context) {
            guard let changed = Self.lookup(category, in: override.categories) else { continue }
            if result.isFloor {
                let kept = Thresholds(
                    review: Self.stricter(result.review, changed.review),
                    block: Self.stricter(result.block, changed.block),
                    priority: max(result.priority, changed.priority),
                    slaHours: min(result.slaHours, changed.slaHours),
                    isFloor: true
                )
                steps.append(
                    "override \(override.source) asks \(Self.describe(changed)); floor keeps \(Self.describe(kept))"
                )
                result = kept
            } else {
                steps.append("override \(override.source): \(Self.describe(changed))")
                result = changed
            }
        }
        return (result, steps)
    }

    /// `review 0.4, block 0.8, high, 4 h`.
    static func describe(_ thresholds: Thresholds) -> String {
        func value(_ threshold: Double?) -> String { threshold.map { "\($0)" } ?? "off" }
        let hours =
            thresholds.slaHours.rounded() == thresholds.slaHours
            ? "\(Int(thresholds.slaHours))" : "\(thresholds.slaHours)"
        return
            "review \(value(thresholds.review)), block \(value(thresholds.block)), \(thresholds.priority.rawValue), \(hours) h"
    }

    private static func lookup(_ category: String, in table: [String: Thresholds]) -> Thresholds? {
        if let found = table[category] { return found }
        var name = Substring(category)
        while true {
            if let found = table[String(name)] { return found }
            guard let dot = name.lastIndex(of: ".") else { return nil }
            name = name[..<dot]
        }
    }

    /// The lower (stricter) of two thresholds, where `nil` means never.
    public static func stricter(_ a: Double?, _ b: Double?) -> Double? {
        switch (a, b) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
    }

    /// Decides the verdict for `findings` of a post in `context`.
    ///
    /// The action is the most severe any category reaches. The queue, priority and deadline come from the
    /// category that drove it (on ties, the higher priority, then the higher score).
    public func decide(_ findings: [Finding], context: PostContext, createdAt: String?) -> Verdict {
        if findings.isEmpty { return .plainAllow }
        // A rule is evidence once per post, however often it fires (SpamAssassin scores rules the same way):
        // each rule counts with its highest weight, in the category of its first finding.
        var ruleWeights: [String: (category: String, weight: Double)] = [:]
        var rules: [String] = []
        var order: [String] = []
        var products: [String: Double] = [:]
        for finding in findings {
            if products[finding.category] == nil {
                order.append(finding.category)
                products[finding.category] = 1
            }
            let weight = min(max(finding.weight, 0), 1)
            if let known = ruleWeights[finding.rule] {
                if known.weight < weight { ruleWeights[finding.rule]?.weight = weight }
            } else {
                rules.append(finding.rule)
                ruleWeights[finding.rule] = (finding.category, weight)
            }
        }
        // In order of first finding, so the floating-point product is the same on every run.
        for rule in rules {
            if let (category, weight) = ruleWeights[rule] { products[category]? *= 1 - weight }
        }
        var categories: [(name: String, score: Double)] = []
        var action = Action.allow
        var driver: (name: String, thresholds: Thresholds, score: Double)?
        var topScore = 0.0
        for name in order {
            let score = Self.rounded(1 - products[name]!)  // every name in `order` has a product
            categories.append((name, score))
            topScore = max(topScore, score)
            let thresholds = thresholds(for: name, in: context)
            let categoryAction: Action
            if let block = thresholds.block, score >= block {
                categoryAction = .block
            } else if let review = thresholds.review, score >= review {
                categoryAction = .review
            } else {
                categoryAction = .allow
            }
            guard categoryAction > .allow else { continue }
            let isStronger: Bool
            if let current = driver {
                isStronger =
                    categoryAction > action
                    || categoryAction == action
                        && (thresholds.priority, score) > (current.thresholds.priority, current.score)
            } else {
                isStronger = true
            }
            if isStronger {
                action = categoryAction
                driver = (name, thresholds, score)
            }
        }
        guard let driver else {
            return Verdict(
                action: .allow,
                queue: "allow",
                priority: .low,
                dueAt: nil,
                score: topScore,
                categories: categories,
                findings: findings
            )
        }
        return Verdict(
            action: action,
            queue: driver.thresholds.queue ?? driver.name,
            priority: driver.thresholds.priority,
            dueAt: createdAt.flatMap { Timestamp.adding(hours: driver.thresholds.slaHours, to: $0) },
            score: topScore,
            categories: categories,
            findings: findings
        )
    }

    /// Rounds to four decimals, so scores print and compare the same on every machine.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
