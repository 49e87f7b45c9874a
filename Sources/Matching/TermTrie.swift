/// Builds trie-factored alternations from literal terms.
///
/// `cash app`, `cashapp` and `cashtag` become `cash(?:\s+app|app|tag)`: PCRE2 then tests each shared prefix
/// once per position instead of once per term, which is what makes hundreds of terms affordable.
enum TermTrie {
    /// The lookup key of a term or of matched text: runs of whitespace folded to one space, ends trimmed.
    static func key<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if isSpace(byte) {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace { key.append(0x20) }
            pendingSpace = false
            key.append(byte)
        }
        return key
    }

    /// Whether `byte` can be part of a word: ASCII letters and digits, and every byte of a non-ASCII scalar
    /// (the boundary assertions in the programs make the precise Unicode decision).
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte >= 0x80
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte &- 0x09 < 5
    }

    /// Compiles `keys` (sorted, so programs are deterministic) into as few programs as fit the size limit.
    static func programs(for keys: [[UInt8]], source: String, maxSourceBytes: Int) throws(MatchingError) -> [Pattern] {
        var programs: [Pattern] = []
        var chunk: [[UInt8]] = []
        var chunkBytes = 0
        func flush() throws(MatchingError) {
            guard !chunk.isEmpty else { return }
            programs.append(try Pattern(regex(for: chunk), source: "\(source) #\(programs.count + 1)"))
            chunk.removeAll()
            chunkBytes = 0
        }
        for key in keys {
            // Escaping can grow a term up to ten-fold (`\x{1F600}`); count generously.
            let estimate = key.count * 3 + 4
            if chunkBytes + estimate > maxSourceBytes { try flush() }
            chunk.append(key)
            chunkBytes += estimate
        }
        try flush()
        return programs
    }

    /// One program matching any of `keys` as a whole word: not preceded or followed by a letter or digit.
    static func regex(for keys: [[UInt8]]) -> String {
        let root = Node()
        for key in keys {
            var node = root
            for scalar in String(decoding: key, as: UTF8.self).unicodeScalars {
                if let child = node.children[scalar] {
                    node = child
                } else {
                    let child = Node()
                    node.children[scalar] = child
                    node = child
                }
            }
            node.isTerminal = true
        }
        return #"(?<![\p{L}\p{N}])"# + "(?:" + alternation(root) + ")" + #"(?![\p{L}\p{N}])"#
    }

    private final class Node {
        var children: [Unicode.Scalar: Node] = [:]
        var isTerminal = false
    }

    private static func alternation(_ node: Node) -> String {
        let branches = node.children.keys.sorted { $0.value < $1.value }.map { scalar in
            escape(scalar) + alternation(node.children[scalar]!)  // the key came from `children`
        }
        guard !branches.isEmpty else { return "" }
        let body = branches.count == 1 ? branches[0] : "(?:" + branches.joined(separator: "|") + ")"
        return node.isTerminal ? "(?:" + body + ")?" : body
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x20: #"\s+"#
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: String(scalar)
        case 0x21...0x7E: "\\" + String(scalar)
        default: "\\x{" + String(scalar.value, radix: 16) + "}"
        }
    }
}
