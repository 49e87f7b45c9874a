/// Finds literals that every match of a PCRE2 pattern must contain, for the prefilter.
///
/// `\b(?:you|u) (?:stupid )?(?:idiot|moron)\b` must contain `idiot` or `moron`, so a post with neither
/// can skip the pattern. The analysis understands literals, groups, alternation, quantifiers, small
/// character classes, escapes and lookarounds; anything else makes it give up (return `nil`), and the
/// pattern then runs on every post: slower, never wrong. Literals are lower-cased, since rule patterns
/// run caseless over lower-cased text.
enum RequiredLiterals {
    /// Literal sets larger than this are not multiplied out further.
    static let maxSetSize = 64

    /// The literals one of which every match contains, or `nil` when no useful set exists.
    static func of(_ pattern: String) -> Set<String>? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let info = parser.alternation(), parser.isAtEnd else { return nil }
        guard let best = info.best, !best.contains("") else { return nil }
        return best
    }

    /// What is known about the strings a piece of a pattern matches.
    struct Info {
        /// Every string it can match, when few and known.
        var exact: Set<String>?
        /// A set one member of which every match contains, when known.
        var required: Set<String>?

        static let unknown = Info(exact: nil, required: nil)
        static let empty = Info(exact: [""], required: nil)

        /// The more selective of `exact` and `required`.
        var best: Set<String>? { Self.better(exact, required) }

        static func better(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
            guard let a else { return b }
            guard let b else { return a }
            let scoreA = selectivity(a)
            let scoreB = selectivity(b)
            if scoreA != scoreB { return scoreA > scoreB ? a : b }
            return a.count <= b.count ? a : b
        }

        /// How rarely a set's least selective literal occurs in ordinary text, roughly: letters and digits
        /// count one each, symbols such as `£` more, spaces and common punctuation a third, so `" "` never
        /// beats `"yo"`.
        static func selectivity(_ literals: Set<String>) -> Double {
            literals.map { literal in literal.unicodeScalars.reduce(0.0) { $0 + rarity($1) } }.min() ?? 0
        }

        /// One character's share of `selectivity`. ASCII is decided by its code (Unicode's properties are a
        /// table look-up per call, and every lexicon pattern's literals are weighed at start-up).
        private static func rarity(_ scalar: Unicode.Scalar) -> Double {
            switch scalar.value {
            case 0x20, 0x2E, 0x2C, 0x2D, 0x27, 0x0A, 0x09, 0x0D, 0x0B, 0x0C, 0x21, 0x3F: 0.3  // space .,-'!? controls
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: 1
            case ..<0x80: 2.5  // a symbol such as $ or @ is rarer than any one letter
            default: scalar.properties.isAlphabetic ? 1 : 2.5  // £ is a symbol; é a letter
            }
        }
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        var isAtEnd: Bool { index >= scalars.count }

        mutating func alternation() -> Info? {
            var branches: [Info] = []
            while true {
                guard let branch = concatenation() else { return nil }
                branches.append(branch)
                if !isAtEnd, scalars[index] == "|" {
                    index += 1
                    continue
                }
                break
            }
            if branches.count == 1 { return branches[0] }
            var exact: Set<String>? = []
            var required: Set<String>? = []
            for branch in branches {
                if let branchExact = branch.exact, let union = exact, union.count + branchExact.count <= maxSetSize {
                    exact = union.union(branchExact)
                } else {
                    exact = nil
                }
                if let best = branch.best, let union = required {
                    required = union.union(best)
                } else {
                    required = nil
                }
            }
            return Info(exact: exact, required: required)
        }

        mutating func concatenation() -> Info? {
            var pieces: [Info] = []
            while !isAtEnd, scalars[index] != "|", scalars[index] != ")" {
                guard var atom = atom() else { return nil }
                guard let quantified = quantify(&atom) else { return nil }
                pieces.append(quantified)
            }
            // Multiply out runs of exact pieces into longer literals, and keep the best set seen.
            var best: Set<String>?
            var run: Set<String> = [""]
            var whole: Set<String>? = [""]
            for piece in pieces {
                best = Info.better(best, piece.required)
                if let exact = piece.exact {
                    whole = whole.flatMap { Self.product($0, exact) }
                    if let extended = Self.product(run, exact) {
                        run = extended
                    } else {
                        best = Info.better(best, run)
                        run = exact
                    }
                } else {
                    best = Info.better(best, run)
                    run = [""]
                    whole = nil
                }
            }
            best = Info.better(best, run)
            return Info(exact: whole, required: best.flatMap { $0.contains("") ? nil : $0 })
        }

        static func product(_ a: Set<String>, _ b: Set<String>) -> Set<String>? {
            guard a.count * b.count <= maxSetSize else { return nil }
            var result: Set<String> = []
            for x in a { for y in b { result.insert(x + y) } }
            return result
        }

        mutating func quantify(_ atom: inout Info) -> Info? {
            guard !isAtEnd else { return atom }
            // The quantifier's bounds; `nil` for no upper bound.
            let minimum: Int
            let maximum: Int?
            switch scalars[index] {
            case "?":
                (minimum, maximum) = (0, 1)
                index += 1
            case "*":
                (minimum, maximum) = (0, nil)
                index += 1
            case "+":
                (minimum, maximum) = (1, nil)
                index += 1
            case "{":
                guard let close = scalars[index...].firstIndex(of: "}") else { return atom }
                let body = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                let bounds = body.split(separator: ",", omittingEmptySubsequences: false)
                // Anything but `{n}`, `{n,}` or `{n,m}` is a literal `{`.
                guard bounds.count <= 2, let low = bounds.first.flatMap({ Int($0) }) else { return atom }
                let high = bounds.count == 1 ? low : bounds[1].isEmpty ? nil : Int(bounds[1])
                guard bounds.count == 1 || bounds[1].isEmpty || high != nil else { return atom }
                (minimum, maximum) = (low, high)
                index = close + 1
            default:
                return atom
            }
            if !isAtEnd, scalars[index] == "?" || scalars[index] == "+" { index += 1 }  // lazy or possessive
            switch (minimum, maximum) {
            case (1, 1?):
                return atom  // exactly once: the atom itself
            case (0, 1?):
                // Optional: the atom's strings or nothing.
                guard let exact = atom.exact, exact.count < maxSetSize else { return .unknown }
                return Info(exact: exact.union([""]), required: nil)
            case (0, _):
                return .unknown  // possibly absent, possibly repeated: nothing is known
            default:
                // At least once, maybe more: the atom's literals are in every match, its exact strings are not.
                return Info(exact: nil, required: atom.best)
            }
        }

        mutating func atom() -> Info? {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "(": return group()
            case "[": return characterClass()
            case "\\": return escape()
            case ".": return .unknown
            case "^", "$": return .empty
            case "*", "+", "?", "{", ")", "|": return nil
            default: return literal(scalar)
            }
        }

        func literal(_ scalar: Unicode.Scalar) -> Info {
            let text = String(scalar).lowercased()
            return Info(exact: [text], required: [text])
        }

        mutating func group() -> Info? {
            if !isAtEnd, scalars[index] == "?" {
                index += 1
                guard !isAtEnd else { return nil }
                switch scalars[index] {
                case ":":
                    index += 1
                case "=", "!":
                    index += 1
                    return skipGroup() ? .empty : nil
                case "<" where index + 1 < scalars.count && (scalars[index + 1] == "=" || scalars[index + 1] == "!"):
                    index += 2
                    return skipGroup() ? .empty : nil
                case "<", "'":
                    let terminator: Unicode.Scalar = scalars[index] == "<" ? ">" : "'"
                    guard let close = scalars[(index + 1)...].firstIndex(of: terminator) else { return nil }
                    index = close + 1
                case "P" where index + 1 < scalars.count && scalars[index + 1] == "<":
                    guard let close = scalars[index...].firstIndex(of: ">") else { return nil }
                    index = close + 1
                case "#":
                    guard let close = scalars[index...].firstIndex(of: ")") else { return nil }
                    index = close + 1
                    return .empty
                default:
                    return nil  // inline options, atomic groups, conditionals, recursion: not analysed
                }
            }
            guard let inner = alternation(), !isAtEnd, scalars[index] == ")" else { return nil }
            index += 1
            return inner
        }

        /// Skips a lookaround's body; lookarounds match no text, so they add no literal.
        mutating func skipGroup() -> Bool {
            guard alternation() != nil, !isAtEnd, scalars[index] == ")" else { return false }
            index += 1
            return true
        }

        mutating func characterClass() -> Info? {
            var members: Set<String> = []
            var isSimple = true
            if !isAtEnd, scalars[index] == "^" {
                isSimple = false
                index += 1
            }
            var first = true
            var previous: Unicode.Scalar?
            while !isAtEnd {
                let scalar = scalars[index]
                if scalar == "]", !first {
                    index += 1
                    return isSimple && !members.isEmpty && members.count <= 12
                        ? Info(exact: members, required: members) : .unknown
                }
                first = false
                index += 1
                if scalar == "\\" {
                    guard !isAtEnd else { return nil }
                    let escaped = scalars[index]
                    index += 1
                    if escaped.properties.isAlphabetic || escaped.properties.numericType != nil {
                        isSimple = false  // \d, \w, \x{..}, \p{..}: not a plain member
                        if escaped == "p" || escaped == "P" || escaped == "x", !isAtEnd, scalars[index] == "{" {
                            guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
                            index = close + 1
                        }
                    } else {
                        members.insert(String(escaped).lowercased())
                    }
                } else if scalar == "[", !isAtEnd, scalars[index] == ":" {
                    guard let close = scalars[index...].firstIndex(of: "]") else { return nil }
                    index = close + 1
                    isSimple = false
                } else if scalar == "-", let low = previous, !isAtEnd, scalars[index] != "]" {
                    // A range: spelled out when short (`[2-9]`), else not a plain set. Its end may be escaped.
                    var high = scalars[index]
                    index += 1
                    if high == "\\" {
                        guard !isAtEnd else { return nil }
                        high = scalars[index]
                        index += 1
                        if high.properties.isAlphabetic || high.properties.numericType != nil {
                            isSimple = false  // `\d`, `\x{..}` as an end: not analysed
                            continue
                        }
                    }
                    if high.value >= low.value, high.value - low.value <= 10 {
                        for value in low.value...high.value {
                            if let member = Unicode.Scalar(value) { members.insert(String(member).lowercased()) }
                        }
                    } else {
                        isSimple = false
                    }
                } else {
                    members.insert(String(scalar).lowercased())
                }
                previous = scalar == "-" ? nil : scalar
            }
            return nil
        }

        mutating func escape() -> Info? {
            guard !isAtEnd else { return nil }
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "b", "B", "A", "z", "Z", "G", "K": return .empty
            case "d":
                let digits = Set((0...9).map(String.init))
                return Info(exact: digits, required: digits)
            case "s":
                // Without PCRE2_UCP, `\s` is exactly these six characters.
                let spaces: Set<String> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
                return Info(exact: spaces, required: spaces)
            case "D", "w", "W", "S", "h", "H", "v", "V", "R", "N", "X", "C": return .unknown
            case "p", "P":
                if !isAtEnd, scalars[index] == "{" {
                    guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
                    index = close + 1
                } else {
                    index += 1
                }
                return .unknown
            case "n": return literal("\n")
            case "t": return literal("\t")
            case "x":
                if !isAtEnd, scalars[index] == "{" {
                    guard let close = scalars[index...].firstIndex(of: "}"),
                        let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 1)..<close])), radix: 16),
                        let decoded = Unicode.Scalar(value)
                    else { return nil }
                    index = close + 1
                    return literal(decoded)
                }
                return nil
            default:
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return nil }
                return literal(scalar)
            }
        }
    }
}
