internal import YAMLSupport

/// Why the classification stage could not be set up.
public enum ClassificationError: Error, Equatable, CustomStringConvertible {
    /// The domain list is not valid YAML or not shaped like one; `location` is `file:line:column`.
    case invalidDomainList(location: String, reason: String)

    public var description: String {
        switch self {
        case .invalidDomainList(let location, let reason): "\(location): \(reason)"
        }
    }
}

extension DomainList {
    static let fileKeys = ["block", "allow"]
    static let entryKeys = ["domain", "category", "weight", "note"]

    /// Reads a domain list such as `lexicons/domains.yml`: `block:` entries `{domain, category, weight, note}`
    /// and `allow:` domains. An empty file is an empty list.
    ///
    /// - Throws: `ClassificationError.invalidDomainList` with `file:line:column` at the first problem.
    public init(parsing text: String, file: String) throws(ClassificationError) {
        self.init()
        do throws(YAMLError) {
            let document = try YAMLValue(parsing: text, file: file)
            try document.requireKeys(in: Self.fileKeys)
            var seen: [String: String] = [:]  // domain → where it was first listed
            for item in try Self.listItems(document["block"]) {
                let entry = try Self.entry(item)
                try Self.remember(entry.domain, at: item, in: &seen)
                blocked[entry.domain] = entry
            }
            for item in try Self.listItems(document["allow"]) {
                guard item.isScalar else { throw item.error("an allow entry is a domain, such as patreon.com") }
                let domain = try Self.domain(item)
                try Self.remember(domain, at: item, in: &seen)
                allowed.insert(domain)
            }
        } catch {
            throw .invalidDomainList(location: error.location, reason: error.reason)
        }
    }

    /// The items under `block:` or `allow:`; a key with nothing under it is an empty list.
    private static func listItems(_ node: YAMLValue?) throws(YAMLError) -> [YAMLValue] {
        guard let node else { return [] }
        if node.isScalar, ["", "~", "null"].contains(try node.text()) { return [] }
        guard !node.isScalar else { throw node.error("expected a list") }
        return try node.items()
    }

    private static func entry(_ item: YAMLValue) throws(YAMLError) -> Entry {
        guard !item.isScalar else {
            throw item.error("a block entry is {domain: …, category: …, weight: …}, not a bare domain")
        }
        try item.requireKeys(in: entryKeys)
        guard let domainNode = item["domain"] else { throw item.error("a block entry needs 'domain'") }
        guard let categoryNode = item["category"] else { throw item.error("a block entry needs 'category'") }
        guard let weightNode = item["weight"] else { throw item.error("a block entry needs 'weight' from 0 to 1") }
        let category = try categoryNode.text()
        guard !category.isEmpty, category.utf8.allSatisfy({ $0 &- 0x61 < 26 || $0 == 0x5F || $0 == 0x2E }),
            category.first != ".", category.last != "."
        else {
            throw categoryNode.error("a category is lower case letters, '_' and '.', such as scam or spam.link")
        }
        let weight = try weightNode.number()
        guard weight > 0, weight <= 1 else { throw weightNode.error("weight must be above 0 and at most 1") }
        return Entry(
            domain: try domain(domainNode),
            category: category,
            weight: weight,
            note: try item["note"]?.text(),
            source: item.fileLine
        )
    }

    /// The domain a node names, in lower case, or an error saying what is wrong with it.
    private static func domain(_ node: YAMLValue) throws(YAMLError) -> String {
        let domain = try node.text().lowercased()
        if let reason = problem(withDomain: domain) { throw node.error("'\(domain)': \(reason)") }
        return domain
    }

    /// Why `domain` is not a domain name this list can hold, or `nil` when it is one.
    static func problem(withDomain domain: String) -> String? {
        if domain.contains("/") || domain.contains(":") {
            return "write the domain alone, without a scheme, port or path"
        }
        guard domain.utf8.allSatisfy({ $0 < 0x80 }) else {
            return "write an internationalized domain in its xn-- form"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "a domain needs at least two labels, such as grabify.link" }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63 else { return "each label needs 1 to 63 characters" }
            guard label.utf8.allSatisfy({ $0 &- 0x61 < 26 || $0 &- 0x30 < 10 || $0 == 0x2D }),
                label.first != "-", label.last != "-"
            else {
                return "a label has only letters, digits and inner hyphens"
            }
        }
        return nil
    }

    private static func remember(
        _ domain: String,
        at node: YAMLValue,
        in seen: inout [String: String]
    )
        throws(YAMLError)
    {
        if let first = seen[domain] { throw node.error("'\(domain)' is already listed at \(first)") }
        seen[domain] = node.fileLine
    }
}
