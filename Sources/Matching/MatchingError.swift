/// Why a lexicon could not be loaded or a rule not compiled.
public enum MatchingError: Error, Equatable, CustomStringConvertible {
    /// A `pattern` does not compile; `offset` is PCRE2's byte offset into the pattern.
    case invalidPattern(source: String, offset: Int, reason: String)
    /// A lexicon file is not valid YAML or not shaped like a lexicon; `location` is `file:line:column`.
    case invalidLexicon(location: String, reason: String)
    /// Two rules share an id.
    case duplicateRule(id: String, first: String, second: String)

    public var description: String {
        switch self {
        case .invalidPattern(let source, let offset, let reason):
            "\(source): pattern does not compile at byte \(offset): \(reason)"
        case .invalidLexicon(let location, let reason):
            "\(location): \(reason)"
        case .duplicateRule(let id, let first, let second):
            "\(second): rule id '\(id)' is already used at \(first)"
        }
    }
}
