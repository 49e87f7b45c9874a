/// A byte trie over many literal terms, walked from every word start without regexes.
///
/// A term matches as a whole word: not preceded or followed by a letter or digit, and a space in a term
/// matches any run of whitespace. Every term that starts at a word start and ends at a word end is
/// reported, so a shorter term inside a longer one (`kill` in `kill yourself`) is reported too.
///
/// The walk sees through the disguises people use to slip terms past filters, but only where the result
/// spells a term, so `$40` and `2024` stay numbers:
/// - leetspeak and lookalike letters: `0→o 1→i,l 3→e 4→a 5→s 7→t 8→b 9→g @→a $→s !→i |→l +→t (→c`, a
///   masking `*` for any vowel (`f*ck`), and
///   `i` for `l` (`kiII`, with capital i, is `kiii` once case-folded, and reads `kill`);
/// - separators between single letters: `c a s h`, `f.u.c.k`, `f-u-c-k`, `f_u_c_k`;
/// - repeated letters: `fuuuuck`.
///
/// Bytes are mapped to a few classes (the bytes that occur in any literal, plus whitespace). Each node is one
/// 32-byte record holding up to four edges inline (most trie nodes have one), nodes with more children get a
/// dense row of transitions, and nodes are numbered breadth-first, so a step touches one or two cache lines
/// and the upper levels that every walk visits stay in cache.
final class LiteralAutomaton: @unchecked Sendable {
    // @unchecked: the tables are written once, in init, and only read afterwards. They are plain buffers
    // rather than arrays so that the walk, the hottest loop of a run, reads them without bounds checks.
    private let byteClass: UnsafeBufferPointer<UInt8>  // 0: no literal has this byte
    private let classCount: Int
    /// Dense transitions, `classCount` per row, for nodes with many children; -1: none.
    private let rows: UnsafeBufferPointer<Int32>
    private let nodes: UnsafeBufferPointer<Node>
    /// Whether a walk can begin with this byte, as written or disguised.
    private let startable: UnsafeBufferPointer<Bool>
    private let byteFlags: UnsafeBufferPointer<UInt8>  // hasReadings, isSeparator, isLetterLike
    /// `maxReadings` per byte: the classes of its disguised readings, 0 for none.
    private let readingSymbols: UnsafeBufferPointer<UInt8>
    /// For each terminal node, the values given for its literal.
    let outputs: [[Int]]

    /// Builds an automaton in which each `literals[i].bytes` yields `literals[i].values`.
    init(literals: [(bytes: [UInt8], values: [Int])]) {
        var (byteClass, classCount) = ByteClasses.assign(literals.map(\.bytes))
        var spaceClass: UInt8 = 0
        if byteClass[0x20] != 0 {
            spaceClass = byteClass[0x20]
            for byte: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D] { byteClass[Int(byte)] = spaceClass }
        }
        // Build the trie, then flatten it.
        var trie = TrieBuilder()
        var outputIndex: [Int32] = [-1]
        var outputs: [[Int]] = []
        for (bytes, values) in literals where !bytes.isEmpty {
            var node = 0
            for byte in bytes {
                let symbol = byteClass[Int(byte)]
                if let next = trie.child(of: node, symbol) {
                    node = Int(next)
                } else {
                    node = trie.addChild(of: node, symbol)
                    outputIndex.append(-1)
                }
            }
            if outputIndex[node] < 0 {
                outputIndex[node] = Int32(outputs.count)
                outputs.append([])
            }
            for value in values where !outputs[Int(outputIndex[node])].contains(value) {
                outputs[Int(outputIndex[node])].append(value)
            }
        }
        // Number nodes breadth-first, so the upper levels that every walk visits sit together in memory.
        var order = [0]
        var edgesOf = [[(symbol: UInt8, child: Int32)]](repeating: [], count: trie.count)
        var newIndex = [Int32](repeating: -1, count: trie.count)
        newIndex[0] = 0
        var head = 0
        while head < order.count {
            let edges = trie.children(of: order[head])
            for (_, child) in edges {
                newIndex[Int(child)] = Int32(order.count)
                order.append(Int(child))
            }
            edgesOf[order[head]] = edges
            head += 1
        }
        var rows: [Int32] = []
        var nodes: [Node] = []
        nodes.reserveCapacity(order.count)
        for old in order {
            var node = Node()
            node.output = outputIndex[old]
            let edges = edgesOf[old].map { ($0.symbol, newIndex[Int($0.child)]) }
            if edges.count > Node.inlineEdges {
                node.row = Int32(rows.count / classCount)
                var row = [Int32](repeating: -1, count: classCount)
                for (symbol, target) in edges { row[Int(symbol)] = target }
                rows.append(contentsOf: row)
            } else {
                for (slot, (symbol, target)) in edges.enumerated() {
                    node.setEdge(slot, symbol: symbol, target: target)
                }
            }
            nodes.append(node)
        }
        self.byteClass = Self.frozen(byteClass)
        self.classCount = classCount
        self.rows = Self.frozen(rows)
        self.nodes = Self.frozen(nodes)
        self.outputs = outputs
        var startable = [Bool](repeating: false, count: 256)
        for (symbol, _) in edgesOf[0] {
            for byte in 0..<256 where byteClass[byte] == symbol { startable[byte] = true }
        }
        for (byte, readings) in Self.substitutes
        where readings.contains(where: { trie.child(of: 0, byteClass[Int($0)]) != nil }) {
            startable[Int(byte)] = true
        }
        self.startable = Self.frozen(startable)
        var byteFlags = [UInt8](repeating: 0, count: 256)
        var readingSymbols = [UInt8](repeating: 0, count: 256 * Self.maxReadings)
        for byte in 0..<256 {
            if (UInt8(byte) | 0x20) &- 0x61 < 26 { byteFlags[byte] |= Self.isLetterLike }
            if Self.separators.contains(UInt8(byte)) { byteFlags[byte] |= Self.isSeparator }
            guard let readings = Self.substitutes[UInt8(byte)] else { continue }
            byteFlags[byte] |= Self.isLetterLike
            for (slot, reading) in readings.prefix(Self.maxReadings).enumerated() where byteClass[Int(reading)] != 0 {
                readingSymbols[byte * Self.maxReadings + slot] = byteClass[Int(reading)]
                byteFlags[byte] |= Self.hasReadings
            }
        }
        self.byteFlags = Self.frozen(byteFlags)
        self.readingSymbols = Self.frozen(readingSymbols)
    }

    deinit {
        byteClass.deallocate()
        rows.deallocate()
        nodes.deallocate()
        startable.deallocate()
        byteFlags.deallocate()
        readingSymbols.deallocate()
    }

    /// A read-only copy of `array` that the automaton owns.
    private static func frozen<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(buffer)
    }

    /// One way a walk can go on: the trie node reached, where the text continues, and how many
    /// disguised letters it read to get there.
    private struct Step {
        var node: Int32
        var position: Int
        var substitutions: Int32
    }

    private static let hasReadings: UInt8 = 1
    private static let isSeparator: UInt8 = 2
    private static let isLetterLike: UInt8 = 4

    /// Leetspeak and lookalike readings of ASCII bytes, tried only when they continue a term.
    static let substitutes: [UInt8: [UInt8]] = [
        0x30: [0x6F], 0x31: [0x69, 0x6C], 0x33: [0x65], 0x34: [0x61], 0x35: [0x73], 0x37: [0x74], 0x38: [0x62],
        0x39: [0x67], 0x40: [0x61], 0x24: [0x73], 0x21: [0x69], 0x7C: [0x6C, 0x69], 0x2B: [0x74], 0x28: [0x63],
        0x69: [0x6C],
        0x2A: [0x61, 0x65, 0x69, 0x6F, 0x75],  // `*` masks a vowel: `f*ck`, `n*gger`
    ]

    /// The most readings one byte has (`*` for any vowel).
    static let maxReadings = 5

    /// Bytes that may stand between the single letters of a spelled-out term.
    static let separators: Set<UInt8> = [0x20, 0x2E, 0x2D, 0x5F, 0x2A, 0x2C, 0x2F, 0x7E, 0x27, 0x22, 0x3A, 0x3B]

    /// Most steps one walk may take, so a hostile text cannot make the branching walk explode.
    static let maxStepsPerWalk = 512

    /// Calls `body` with the byte range, output index and number of disguised letters of every whole-word
    /// literal occurrence in `text`. An occurrence reachable in several ways may be reported more than once.
    func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int, Int) -> Void) {
        let count = text.count
        var stack: [Step] = []
        var start = 0
        var previousIsWord = false
        while start < count {
            let lead = text[start]
            var width = 1
            var isWord: Bool
            if lead < 0x80 {
                isWord = (lead | 0x20) &- 0x61 < 26 || lead &- 0x30 < 10
            } else {
                (isWord, width) = Self.classify(at: start, in: text)
            }
            defer {
                previousIsWord = isWord
                start += width
            }
            if !startable[Int(lead)] || previousIsWord { continue }
            var steps = 0
            // The walk from the word start is taken first, without the stack: most walks never branch.
            var first: Step? = Step(node: 0, position: start, substitutions: 0)
            while let step = first ?? stack.popLast() {
                first = nil
                var node = step.node
                var position = step.position
                let substitutions = step.substitutions
                // Follow the text as written, pushing the disguised readings met on the way for later.
                while position < count, steps < Self.maxStepsPerWalk {
                    steps += 1
                    let byte = text[position]
                    let flags = byteFlags[Int(byte)]
                    // Only readings, separators and repeats branch; a plain letter just goes on.
                    if flags & (Self.hasReadings | Self.isSeparator) != 0
                        || position > start && text[position - 1] == byte
                    {
                        pushAlternatives(
                            node: node,
                            position: position,
                            substitutions: substitutions,
                            flags: flags,
                            start: start,
                            text: text,
                            stack: &stack,
                            body
                        )
                    }
                    let symbol = byteClass[Int(byte)]
                    guard symbol != 0, let next = edge(from: node, symbol) else { break }
                    node = next
                    position = arrive(
                        at: next,
                        after: position,
                        start: start,
                        substitutions: substitutions,
                        text: text,
                        body
                    )
                }
            }
        }
    }

    /// Pushes the steps that read `text[position]` as something other than itself.
    @inline(__always)
    private func pushAlternatives(
        node: Int32,
        position: Int,
        substitutions: Int32,
        flags: UInt8,
        start: Int,
        text: UnsafeBufferPointer<UInt8>,
        stack: inout [Step],
        _ body: (Range<Int>, Int, Int) -> Void
    ) {
        let byte = text[position]
        if flags & Self.hasReadings != 0 {
            for slot in 0..<Self.maxReadings {
                let symbol = readingSymbols[Int(byte) * Self.maxReadings + slot]
                if symbol != 0, let next = edge(from: node, symbol) {
                    let after = arrive(
                        at: next,
                        after: position,
                        start: start,
                        substitutions: substitutions + 1,
                        text: text,
                        body
                    )
                    stack.append(Step(node: next, position: after, substitutions: substitutions + 1))
                }
            }
        }
        guard node != 0, position > start else { return }
        let previous = text[position - 1]
        // A repeated letter (`fuuuck`): read once.
        if byte == previous, flags & Self.isLetterLike != 0 {
            var next = position + 1
            while next < text.count, text[next] == byte { next += 1 }
            report(node, start: start, end: next, substitutions: substitutions + 1, text: text, body)
            stack.append(Step(node: node, position: next, substitutions: substitutions + 1))
        }
        // Separators between single letters (`c a s h`, `f.u.c.k`).
        if flags & Self.isSeparator != 0, byteFlags[Int(previous)] & Self.isLetterLike != 0,
            position < start + 2 || byteFlags[Int(text[position - 2])] & Self.isLetterLike == 0
        {
            var next = position + 1
            while next < text.count, next < position + 3, byteFlags[Int(text[next])] & Self.isSeparator != 0 {
                next += 1
            }
            if next < text.count, byteFlags[Int(text[next])] & Self.isLetterLike != 0,
                next + 1 == text.count || byteFlags[Int(text[next + 1])] & Self.isLetterLike == 0
            {
                stack.append(Step(node: node, position: next, substitutions: substitutions + 1))
            }
        }
    }

    /// Moves past the byte just read (and the rest of a whitespace run, for a space), reports a literal that
    /// ends there on a word boundary, and returns where the text continues.
    @inline(__always)
    private func arrive(
        at node: Int32,
        after position: Int,
        start: Int,
        substitutions: Int32,
        text: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>, Int, Int) -> Void
    ) -> Int {
        var next = position + 1
        if Self.isSpaceByte(text[position]) {
            while next < text.count, Self.isSpaceByte(text[next]) { next += 1 }
        }
        report(node, start: start, end: next, substitutions: substitutions, text: text, body)
        return next
    }

    /// Reports the literal of `node`, if it has one and `end` is a word boundary.
    @inline(__always)
    private func report(
        _ node: Int32,
        start: Int,
        end: Int,
        substitutions: Int32,
        text: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>, Int, Int) -> Void
    ) {
        let output = nodes[Int(node)].output
        if output >= 0, end == text.count || !Self.isWord(startingAt: end, in: text) {
            body(start..<end, Int(output), Int(substitutions))
        }
    }

    /// The child of `node` along `symbol` (never 0), if any.
    @inline(__always)
    private func edge(from node: Int32, _ symbol: UInt8) -> Int32? {
        let info = nodes[Int(node)]
        if info.row >= 0 {
            let next = rows[Int(info.row) * classCount + Int(symbol)]
            return next >= 0 ? next : nil
        }
        if info.class0 == symbol { return info.target0 }
        if info.class1 == symbol { return info.target1 }
        if info.class2 == symbol { return info.target2 }
        if info.class3 == symbol { return info.target3 }
        return nil
    }

    static func isSpaceByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte &- 0x09 < 5 }

    /// Whether the character that starts at byte `start` (a non-ASCII lead byte) is a letter or digit, and
    /// how many bytes it has; an invalid sequence counts as one non-word byte.
    static func classify(at start: Int, in text: UnsafeBufferPointer<UInt8>) -> (isWord: Bool, width: Int) {
        var iterator = text[start...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return (false, 1) }
        return (isLetterOrNumber(scalar), UTF8.width(scalar))
    }

    /// Whether the character that starts at byte `start` is a letter or digit.
    static func isWord(startingAt start: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let byte = text[start]
        if byte < 0x80 { return (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 }
        return classify(at: start, in: text).isWord
    }

    private static func isLetterOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// One trie node: its output and up to four edges inline, or the index of its dense row.
private struct Node {
    static let inlineEdges = 4
    var row: Int32 = -1
    var output: Int32 = -1
    var class0: UInt8 = 0
    var class1: UInt8 = 0
    var class2: UInt8 = 0
    var class3: UInt8 = 0
    var target0: Int32 = -1
    var target1: Int32 = -1
    var target2: Int32 = -1
    var target3: Int32 = -1

    mutating func setEdge(_ slot: Int, symbol: UInt8, target: Int32) {
        switch slot {
        case 0: (class0, target0) = (symbol, target)
        case 1: (class1, target1) = (symbol, target)
        case 2: (class2, target2) = (symbol, target)
        default: (class3, target3) = (symbol, target)
        }
    }
}

/// A trie under construction, each node's children a list of siblings in flat arrays: a dictionary per node
/// cost most of the automaton's build, the longest step of start-up.
private struct TrieBuilder {
    private var firstChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    private var symbols: [UInt8] = [0]

    /// How many nodes there are, the root included.
    var count: Int { firstChild.count }

    /// The child of `node` reached by `symbol`, if there is one.
    func child(of node: Int, _ symbol: UInt8) -> Int32? {
        var child = firstChild[node]
        while child >= 0 {
            if symbols[Int(child)] == symbol { return child }
            child = nextSibling[Int(child)]
        }
        return nil
    }

    /// Adds a child to `node` for `symbol` and returns it.
    mutating func addChild(of node: Int, _ symbol: UInt8) -> Int {
        let child = Int32(firstChild.count)
        firstChild.append(-1)
        nextSibling.append(firstChild[node])
        symbols.append(symbol)
        firstChild[node] = child
        return Int(child)
    }

    /// The children of `node`, by symbol.
    func children(of node: Int) -> [(symbol: UInt8, child: Int32)] {
        var children: [(symbol: UInt8, child: Int32)] = []
        var child = firstChild[node]
        while child >= 0 {
            children.append((symbols[Int(child)], child))
            child = nextSibling[Int(child)]
        }
        return children.count > 1 ? children.sorted { $0.symbol < $1.symbol } : children
    }
}
