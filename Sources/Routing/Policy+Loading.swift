public import Moderation
internal import YAMLSupport

/// Why a policy file could not be used.
public enum RoutingError: Error, Equatable, CustomStringConvertible {
    /// The policy file is not valid YAML or not shaped like a policy; `location` is `file:line:column`.
    case invalidPolicy(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidPolicy(let location, let reason): "\(location): \(reason)"
        }
    }
}

extension Policy {
    static let fileKeys = ["default", "categories", "overrides"]
    static let thresholdKeys = ["review", "block", "priority", "sla_hours", "floor"]
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
            for item in try document["overrides"]?.items() ?? [] {
                try item.requireKeys(in: Self.overrideKeys)
                var override = Override(
                    scope: try item["when"]?.contextScope() ?? ContextScope(),
                    categories: [:],
                    source: item.fileLine
                )
                guard let changes = item["categories"] else { throw item.error("an override needs 'categories'") }
                for (name, _, value) in try changes.entries() {
                    override.categories[name] = try Self.thresholds(value, base: thresholds(for: name))
                }
                overrides.append(override)
            }
        } catch {
            throw .invalidPolicy(location: error.location, reason: error.reason)
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
        return result
    }
}
