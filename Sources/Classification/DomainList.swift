/// The domains `lexicons/domains.yml` names: hosts that are a finding wherever they are linked, and hosts the
/// link heuristics leave alone.
///
/// A listed domain covers its subdomains (`grabify.link` covers `x.grabify.link`) but never a mere suffix
/// (`notgrabify.link`). When a host falls under both lists, the longer listed domain decides, so an allowed
/// platform can still have one blocked subdomain.
public struct DomainList: Sendable, Equatable {
    /// A blocked domain and what a link to it means.
    public struct Entry: Sendable, Hashable {
        /// The domain, lower case ASCII (an internationalized name in its `xn--` form).
        public var domain: String
        /// The category a link to it scores, such as `scam`.
        public var category: String
        /// How strongly a link to it indicates the category, from 0 to 1.
        public var weight: Double
        /// Why it is listed, for reviewers.
        public var note: String?
        /// `file:line` of the entry.
        public var source: String

        public init(domain: String, category: String, weight: Double, note: String? = nil, source: String = "") {
            self.domain = domain
            self.category = category
            self.weight = weight
            self.note = note
            self.source = source
        }
    }

    /// What the list says about one host.
    public enum Listing: Sendable, Equatable {
        /// The host is, or is under, a blocked domain.
        case blocked(Entry)
        /// The host is, or is under, an allowed domain.
        case allowed
        /// Neither list names it.
        case unlisted
    }

    /// Blocked domains, by domain.
    public internal(set) var blocked: [String: Entry]
    /// Allowed domains.
    public internal(set) var allowed: Set<String>

    /// A list that blocks and allows nothing: what a lexicons folder without `domains.yml` gets.
    public static let empty = DomainList()

    /// Makes a list from entries and domains already in lower case.
    public init(blocked: [Entry] = [], allowed: [String] = []) {
        self.blocked = Dictionary(blocked.map { ($0.domain, $0) }, uniquingKeysWith: { first, _ in first })
        self.allowed = Set(allowed)
    }

    /// Whether nothing is listed.
    public var isEmpty: Bool { blocked.isEmpty && allowed.isEmpty }

    /// What the list says about `host` (lower case, without a trailing dot): the longest listed domain that
    /// is `host` or one of its parents decides.
    public func listing(ofHost host: Substring) -> Listing {
        guard !isEmpty else { return .unlisted }
        var domain = host
        while true {
            let key = String(domain)
            if let entry = blocked[key] { return .blocked(entry) }
            if allowed.contains(key) { return .allowed }
            guard let dot = domain.firstIndex(of: ".") else { return .unlisted }
            domain = domain[domain.index(after: dot)...]
        }
    }

    /// Whether `host` is, or is under, an allowed domain (and no longer blocked domain covers it).
    public func isAllowed(host: Substring) -> Bool {
        listing(ofHost: host) == .allowed
    }
}
