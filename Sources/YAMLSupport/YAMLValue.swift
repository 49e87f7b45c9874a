public import Moderation
internal import Yams

/// A problem in a YAML file, with the `file:line:column` it points at.
public struct YAMLError: Error, Equatable, CustomStringConvertible {
    /// `file:line:column` of the offending node.
    public var location: String
    /// What is wrong, in one line.
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}

/// A node of a YAML file that remembers where it is, so every complaint can say `file:line:column`.
///
/// Rule files are written by Trust & Safety people, not programmers: readers are strict (unknown keys are
/// errors, with a suggestion) and every message points at the line to fix.
public struct YAMLValue {
    /// The file's name as it should appear in messages, such as `lexicons/hate.yml`.
    public let file: String
    let node: Node

    /// Parses `text`; an empty document is an empty mapping.
    public init(parsing text: String, file: String) throws(YAMLError) {
        self.file = file
        do {
            // Scalars are read as written (`text()`, `number()`…), so Yams need not tell their types: its
            // default resolver runs regular expressions over every scalar, a tenth of start-up.
            self.node = try Yams.compose(yaml: text, .basic) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        } catch {
            throw YAMLError(location: file, reason: "\(error)")
        }
    }

    init(node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// The 1-based line of this node.
    public var line: Int { node.mark?.line ?? 1 }

    /// `file:line:column` of this node.
    public var location: String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    /// `file:line` of this node, the form findings cite.
    public var fileLine: String { "\(file):\(line)" }

    /// Makes an error located at this node.
    public func error(_ reason: String) -> YAMLError { YAMLError(location: location, reason: reason) }

    // MARK: - Mappings

    /// The value under `key`, when this is a mapping that has it.
    public subscript(key: String) -> YAMLValue? {
        guard case .mapping(let mapping) = node else { return nil }
        for (name, value) in mapping where name.string == key {
            return YAMLValue(node: value, file: file)
        }
        return nil
    }

    /// The keys and values of a mapping, in file order.
    public func entries() throws(YAMLError) -> [(key: String, keyNode: YAMLValue, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys to values") }
        var result: [(key: String, keyNode: YAMLValue, value: YAMLValue)] = []
        for (name, value) in mapping {
            guard let key = name.string else { throw YAMLValue(node: name, file: file).error("expected a text key") }
            result.append((key, YAMLValue(node: name, file: file), YAMLValue(node: value, file: file)))
        }
        return result
    }

    /// Throws at the first key not in `allowed`, suggesting the closest allowed key for a likely typo.
    public func requireKeys(in allowed: [String]) throws(YAMLError) {
        for (key, keyNode, _) in try entries() where !allowed.contains(key) {
            var reason = "unknown key '\(key)'"
            if let suggestion = Self.closest(to: key, in: allowed) {
                reason += "; did you mean '\(suggestion)'?"
            } else {
                reason += "; expected one of: \(allowed.joined(separator: ", "))"
            }
            throw keyNode.error(reason)
        }
    }

    // MARK: - Scalars

    /// Whether the node is a scalar (text, number, boolean or null).
    public var isScalar: Bool {
        if case .scalar = node { return true }
        return false
    }

    /// The scalar's text, or an error saying a text was expected.
    public func text() throws(YAMLError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        return scalar.string
    }

    /// The scalar as a number, or an error.
    public func number() throws(YAMLError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            throw error("expected a number")
        }
        return value
    }

    /// The scalar as a number, or `nil` for `off`, `false`, `never` or `null` (a threshold that never fires).
    public func numberOrOff() throws(YAMLError) -> Double? {
        guard case .scalar(let scalar) = node else { throw error("expected a number or 'off'") }
        switch scalar.string.lowercased() {
        case "off", "false", "no", "never", "null", "~": return nil
        default:
            guard let value = Double(scalar.string) else { throw error("expected a number or 'off'") }
            return value
        }
    }

    /// The scalar as a Boolean, or an error.
    public func bool() throws(YAMLError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    // MARK: - Sequences

    /// The items of a sequence; a lone scalar counts as a sequence of one.
    public func items() throws(YAMLError) -> [YAMLValue] {
        switch node {
        case .sequence(let sequence): return sequence.map { YAMLValue(node: $0, file: file) }
        case .scalar: return [self]
        default: throw error("expected a list")
        }
    }

    /// The texts of a sequence of scalars.
    public func texts() throws(YAMLError) -> [String] {
        var result: [String] = []
        for item in try items() { result.append(try item.text()) }
        return result
    }

    // MARK: - Domain values

    /// Reads `{authors: [...], recipients: [...], surfaces: [...]}`; a missing key means any.
    public func contextScope() throws(YAMLError) -> ContextScope {
        try requireKeys(in: ["authors", "recipients", "surfaces"])
        var scope = ContextScope()
        scope.authors = try roles(self["authors"])
        scope.recipients = try roles(self["recipients"])
        for item in try self["surfaces"]?.items() ?? [] {
            guard let surface = Surface(rawValue: try item.text()), surface != .unknown else {
                throw item.error("unknown surface; expected post, comment, dm, bio or caption")
            }
            scope.surfaces.insert(surface)
        }
        return scope
    }

    private func roles(_ node: YAMLValue?) throws(YAMLError) -> Set<Role> {
        var roles: Set<Role> = []
        for item in try node?.items() ?? [] {
            guard let role = Role(rawValue: try item.text()), role != .unknown else {
                throw item.error("unknown role; expected creator, fan or staff")
            }
            roles.insert(role)
        }
        return roles
    }

    // MARK: - Helpers

    static func describe(_ error: YamlError, file: String) -> YAMLError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return YAMLError(location: "\(file):\(mark.line):\(mark.column)", reason: "YAML: \(problem)")
        default:
            return YAMLError(location: file, reason: "YAML: \(error)")
        }
    }

    /// The allowed key within edit distance 2 of `key`, if any.
    static func closest(to key: String, in allowed: [String]) -> String? {
        let best = allowed.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return nil }
        return best.0
    }

    /// Levenshtein distance, with a transposition counted as one edit (`wieght` → `weight`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
