public import Moderation
internal import YAMLSupport

/// Why a policy file could not be used.
public enum RoutingError: Error, Equatable, CustomStringConvertible {
    /// The policy file is not valid YAML or not shaped like a policy; `location` is `file:line:column`.
    case invalidPolicy(location: String, reason: String)
    /// An overlay or override would loosen a floored category; `location` is `file:line:column`.
    case floorLoosened(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidPolicy(let location, let reason), .floorLoosened(let location, let reason):
            "\(location): \(reason)"
        }
    }
}

extension Policy {
    static let fileKeys = ["default", "categories", "overrides", "heuristics"]
    static let heuristicKeys = ["enabled", "weight"]
    static let thresholdKeys = ["review", "block", "priority", "sla_hours", "floor", "queue"]
    static let overrideKeys = ["when", "categories"]

    /// Reads a policy file such as `lexicons/policy.yml`.
    ///
    /// - Throws: `RoutingError.invalidPolicy` with `file:line:column` at the first problem.
    public init(parsing text: String, file: String) throws(RoutingError) {
        do throws(YAMLError) {
            let document = try YAMLValue(parsing: text, file: file)
            try document.requireKeys(in: Self.fileKeys)
            let fallback = Thresholds(review: 0.5, block: 0.9)
            var defaults = fallback
            if let node = document["default"] { defaults = try Self.thresholds(node, base: fallback) }
            var categories: [String: Thresholds] = [:]
            for (name, _, value) in try document["categories"]?.entries() ?? [] {
                categories[name] = try Self.thresholds(value, base: defaults)
            }
            self.init(defaults: defaults, categories: categories)
            try readOverrides(document)
            try readHeuristics(document)
        } catch {
            throw .invalidPolicy(location: error.location, reason: error.reason)
        }
    }

    /// Returns this policy with a creator's or community's overlay file applied.
    ///
    /// An overlay has the policy's shape. It may tighten anything; it may loosen a category only when that
    /// category is not a floor. Its `categories` replace thresholds (keys it leaves out keep the policy's
    /// values), its `overrides` come after the policy's own.
    ///
    /// - Throws: `RoutingError.invalidPolicy` at the first problem, and `RoutingError.floorLoosened` with
    ///   the line of an entry that would loosen a floor.
    public func applying(overlay text: String, file: String) throws(RoutingError) -> Policy {
        var result = self
        var changes: [(name: String, location: String, thresholds: Thresholds)] = []
        do throws(YAMLError) {
            let document = try YAMLValue(parsing: text, file: file)
            try document.requireKeys(in: Self.fileKeys)
            if let node = document["default"] { result.defaults = try Self.thresholds(node, base: defaults) }
            for (name, keyNode, value) in try document["categories"]?.entries() ?? [] {
                changes.append((name, keyNode.location, try Self.thresholds(value, base: thresholds(for: name))))
            }
            try result.readOverrides(document)
            try result.readHeuristics(document)
        } catch {
            throw .invalidPolicy(location: error.location, reason: error.reason)
        }
        for (name, location, var changed) in changes {
            let base = thresholds(for: name)
            if base.isFloor, let reason = Self.loosening(base, to: changed) {
                throw .floorLoosened(location: location, reason: "'\(name)' is a floor: \(reason)")
            }
            changed.isFloor = changed.isFloor || base.isFloor  // an overlay cannot lift a floor
            result.categories[name] = changed
        }
        // Overrides in the overlay may not loosen a floor either; in the policy itself they are only ignored.
        if let problem = result.floorViolations().first(where: { problem in
            guard case .floorLoosened(let location, _) = problem else { return false }
            return location.hasPrefix(file + ":")
        }) {
            throw problem
        }
        return result
    }

    /// Entries of overrides that try to loosen a floor (the decision ignores them; `triage lint` reports them).
    public func floorViolations() -> [RoutingError] {
        var problems: [RoutingError] = []
        for override in overrides {
            for (name, changed) in override.categories.sorted(by: { $0.key < $1.key }) {
                let base = thresholds(for: name)
                if base.isFloor, let reason = Self.loosening(base, to: changed) {
                    let location = override.categorySources[name] ?? override.source
                    problems.append(.floorLoosened(location: location, reason: "'\(name)' is a floor: \(reason)"))
                }
            }
        }
        return problems
    }

    /// Says how `changed` is looser than `base`, or `nil` when it is not.
    static func loosening(_ base: Thresholds, to changed: Thresholds) -> String? {
        func describe(_ value: Double?) -> String { value.map { "\($0)" } ?? "off" }
        if stricter(base.review, changed.review) != changed.review {
            return "review threshold \(describe(changed.review)) is looser than \(describe(base.review))"
        }
        if stricter(base.block, changed.block) != changed.block {
            return "block threshold \(describe(changed.block)) is looser than \(describe(base.block))"
        }
        return nil
    }

    private mutating func readHeuristics(_ document: YAMLValue) throws(YAMLError) {
        for (name, _, value) in try document["heuristics"]?.entries() ?? [] {
            try value.requireKeys(in: Self.heuristicKeys)
            var setting = HeuristicSetting()
            if let enabled = value["enabled"] { setting.isEnabled = try enabled.bool() }
            if let weightNode = value["weight"] {
                let weight = try weightNode.number()
                guard weight > 0, weight <= 1 else { throw weightNode.error("weight must be above 0 and at most 1") }
                setting.weight = weight
            }
            heuristics[name] = setting
        }
    }

    private mutating func readOverrides(_ document: YAMLValue) throws(YAMLError) {
        for item in try document["overrides"]?.items() ?? [] {
            try item.requireKeys(in: Self.overrideKeys)
            var override = Override(
                scope: try item["when"]?.contextScope() ?? ContextScope(),
                categories: [:],
                source: item.fileLine
            )
            guard let changes = item["categories"] else { throw item.error("an override needs 'categories'") }
            for (name, keyNode, value) in try changes.entries() {
                override.categories[name] = try Self.thresholds(value, base: thresholds(for: name))
                override.categorySources[name] = keyNode.location
            }
            overrides.append(override)
        }
    }

    private static func thresholds(_ node: YAMLValue, base: Thresholds) throws(YAMLError) -> Thresholds {
        try node.requireKeys(in: thresholdKeys)
        var result = base
        result.isFloor = false
        if let review = node["review"] { result.review = try review.numberOrOff() }
        if let block = node["block"] { result.block = try block.numberOrOff() }
        if let priority = node["priority"] {
            guard let value = Priority(rawValue: try priority.text()) else {
                throw priority.error("unknown priority; expected low, normal, high or urgent")
            }
            result.priority = value
        }
        if let hours = node["sla_hours"] {
            result.slaHours = try hours.number()
            guard result.slaHours > 0 else { throw hours.error("sla_hours must be above 0") }
        }
        if let floor = node["floor"] { result.isFloor = try floor.bool() }
        if let queue = node["queue"] {
            let name = try queue.text()
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                throw queue.error("a queue name is one word, such as welfare")
            }
            result.queue = name
        }
        return result
    }
}
