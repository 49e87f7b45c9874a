internal import Foundation
internal import Matching

/// The lexicon rules as plain regular expressions, one a line, for running the same rules through other
/// tools (`rg -i -f`, `pcre2grep -i -f`) in benchmarks.
///
/// The export is an approximation of what Triage matches, not a replacement: terms are matched on the raw
/// text (no leetspeak, confusable or separator folding), allow lists and scopes are ignored, and composite
/// rules are left out.
struct PatternExport {
    /// Which regex engine the file is written for.
    enum Dialect: String, CaseIterable {
        /// PCRE2 (`pcre2grep`): every term and every pattern as written.
        case pcre2
        /// Rust's `regex` crate (`rg` without `-P`): patterns it cannot compile (look-around,
        /// backreferences, atomic groups, possessive quantifiers) are left out.
        case rust
        /// As `rust`, with every `\b` and `\B` made ASCII (`(?-u:\b)`), which keeps `rg` on its DFA: a
        /// Unicode word boundary under `-i` in a large alternation makes it fall back to a much slower engine.
        case rustASCII = "rust-ascii"
    }

    /// The expressions, in rule order.
    var expressions: [String] = []
    /// The sources (`lexicons/hate.yml:125`) of patterns left out because the dialect cannot take them.
    var leftOut: [String] = []
    /// The sources of patterns that Rust's `regex` cannot take, whatever the dialect.
    var rustIncompatible: [String] = []

    /// Builds the export of `rules` for `dialect`.
    init(rules: [Rule], dialect: Dialect) {
        for rule in rules {
            switch rule.matcher {
            case .terms(let terms):
                for term in terms {
                    let expression = Self.termExpression(term)
                    expressions.append(dialect == .rustASCII ? Self.asciiWordBoundaries(expression) : expression)
                }
            case .pattern(let source):
                // A pattern over several lines cannot be one line of a `-f` file.
                guard !source.contains("\n") else {
                    leftOut.append(rule.source)
                    continue
                }
                let isRustCompatible = Self.isRustCompatible(source)
                if !isRustCompatible { rustIncompatible.append(rule.source) }
                switch dialect {
                case .pcre2: expressions.append(source)
                case .rust where isRustCompatible: expressions.append(source)
                case .rustASCII where isRustCompatible: expressions.append(Self.asciiWordBoundaries(source))
                case .rust, .rustASCII: leftOut.append(rule.source)
                }
            case .composite:
                continue
            }
        }
    }

    /// The file's text: one expression a line.
    var text: String {
        expressions.isEmpty ? "" : expressions.joined(separator: "\n") + "\n"
    }

    /// `\bterm\b` with the term's metacharacters escaped and each run of spaces as `\s+`.
    static func termExpression(_ term: String) -> String {
        let words = term.split(whereSeparator: \.isWhitespace).map { escape(String($0)) }
        return #"\b"# + words.joined(separator: #"\s+"#) + #"\b"#
    }

    /// `text` with the characters that both PCRE2 and Rust's `regex` treat as syntax escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if #"\.+*?()|[]{}^$#"#.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Whether Rust's `regex` crate can compile `pattern`: no look-around, backreferences, atomic groups,
    /// possessive quantifiers, recursion, `\K`, `\Q…\E` or other escapes it does not know.
    static func isRustCompatible(_ pattern: String) -> Bool {
        let characters = Array(pattern)
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "\\", let next {
                // Escapes Rust rejects: backreferences, \K, \Q…\E, \G, \Z, \R, \X, \h, \H, \g, \k, \C.
                if next.isNumber && next != "0" && !inClass { return false }
                if "KQEGZRXhHgkCNV".contains(next) { return false }
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
                index += 1
                continue
            }
            switch character {
            case "[":
                inClass = true
                // A `]` right after `[` or `[^` is a literal.
                if next == "^" { index += 1 }
                if index + 1 < characters.count, characters[index + 1] == "]" { index += 1 }
            case "(" where next == "?":
                // Look-around, atomic and branch-reset groups, recursion, callouts and `(?P=name)`; a named
                // group `(?P<name>…)` and flags such as `(?-u:…)` are fine.
                let rest = characters[(index + 2)...].prefix(2)
                if let first = rest.first {
                    if "=!<>|R&(+C".contains(first) || first.isNumber { return false }
                    if first == "-", rest.dropFirst().first?.isNumber == true { return false }
                    if first == "P", rest.dropFirst().first.map({ "=>".contains($0) }) == true { return false }
                }
            case "+", "*", "?", "}":
                if next == "+" { return false }  // a possessive quantifier (`a++`, `x{2}+`)
            default:
                break
            }
            index += 1
        }
        return true
    }

    /// `expression` with each `\b` and `\B` outside a character class written `(?-u:\b)` / `(?-u:\B)`.
    static func asciiWordBoundaries(_ expression: String) -> String {
        let characters = Array(expression)
        var result = ""
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                let next = characters[index + 1]
                if !inClass, next == "b" || next == "B" {
                    result += "(?-u:\\\(next))"
                } else {
                    result.append(character)
                    result.append(next)
                }
                index += 2
                continue
            }
            if inClass, character == "]" { inClass = false } else if !inClass, character == "[" { inClass = true }
            result.append(character)
            index += 1
        }
        return result
    }
}
