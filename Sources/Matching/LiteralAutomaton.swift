/// A byte trie over many literal terms, walked from every word start without regexes.
///
/// A term matches as a whole word: not preceded or followed by a letter or digit, and a space in a term
/// matches any run of whitespace. Every term that starts at a word start and ends at a word end is
/// reported, so a shorter term inside a longer one (`kill` in `kill yourself`) is reported too.
///
/// Bytes are mapped to a few classes (the bytes that occur in any literal, plus whitespace), nodes with
/// several children get a dense row of transitions, and single-child nodes (most of a trie) store their
/// one edge inline, so the upper levels that every walk visits stay in cache.
final class LiteralAutomaton: Sendable {
    private let byteClass: [UInt8]  // 0: no literal has this byte
    private let classCount: Int
    private let spaceClass: UInt8
    private let rows: [Int32]  // dense transitions, classCount per row; -1: none
    private let rowOfNode: [Int32]  // -1: the node has no dense row
    private let singleClass: [UInt8]  // for nodes without a row: the class of their one edge, 0 if none
    private let singleTarget: [Int32]
    private let outputOfNode: [Int32]  // index into `outputs`, or -1
    /// For each terminal node, the values given for its literal.
    let outputs: [[Int]]

    /// Builds an automaton in which each `literals[i].bytes` yields `literals[i].values`.
    init(literals: [(bytes: [UInt8], values: [Int])]) {
        var byteClass = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for (bytes, _) in literals {
            for byte in bytes where byteClass[Int(byte)] == 0 {
                byteClass[Int(byte)] = UInt8(truncatingIfNeeded: classCount)
                classCount += 1
            }
        }
        precondition(classCount < 256, "at most 255 distinct bytes")
        var spaceClass: UInt8 = 0
        if byteClass[0x20] != 0 {
            spaceClass = byteClass[0x20]
            for byte: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D] { byteClass[Int(byte)] = spaceClass }
        }
        // Build the trie with dictionaries, then flatten it.
        var children: [[UInt8: Int32]] = [[:]]
        var outputIndex: [Int32] = [-1]
        var outputs: [[Int]] = []
        for (bytes, values) in literals where !bytes.isEmpty {
            var node = 0
            for byte in bytes {
                let symbol = byteClass[Int(byte)]
                if let next = children[node][symbol] {
                    node = Int(next)
                } else {
                    children.append([:])
                    outputIndex.append(-1)
                    children[node][symbol] = Int32(children.count - 1)
                    node = children.count - 1
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
        var rows: [Int32] = []
        var rowOfNode = [Int32](repeating: -1, count: children.count)
        var singleClass = [UInt8](repeating: 0, count: children.count)
        var singleTarget = [Int32](repeating: -1, count: children.count)
        for (node, edges) in children.enumerated() {
            if edges.count == 1, let (symbol, target) = edges.first {
                singleClass[node] = symbol
                singleTarget[node] = target
            } else if edges.count > 1 {
                rowOfNode[node] = Int32(rows.count / classCount)
                var row = [Int32](repeating: -1, count: classCount)
                for (symbol, target) in edges { row[Int(symbol)] = target }
                rows.append(contentsOf: row)
            }
        }
        self.byteClass = byteClass
        self.classCount = classCount
        self.spaceClass = spaceClass
        self.rows = rows
        self.rowOfNode = rowOfNode
        self.singleClass = singleClass
        self.singleTarget = singleTarget
        self.outputOfNode = outputIndex
        self.outputs = outputs
    }

    /// Calls `body` with the byte range and output index of every whole-word literal occurrence in `text`.
    func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) -> Void) {
        let count = text.count
        byteClass.withUnsafeBufferPointer { byteClass in
            rows.withUnsafeBufferPointer { rows in
                rowOfNode.withUnsafeBufferPointer { rowOfNode in
                    singleClass.withUnsafeBufferPointer { singleClass in
                        singleTarget.withUnsafeBufferPointer { singleTarget in
                            outputOfNode.withUnsafeBufferPointer { outputOfNode in
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
                                    if byteClass[Int(lead)] == 0 { continue }
                                    if previousIsWord { continue }
                                    var node = 0
                                    var position = start
                                    while position < count {
                                        let symbol = byteClass[Int(text[position])]
                                        if symbol == 0 { break }
                                        let row = rowOfNode[node]
                                        let next: Int32
                                        if row >= 0 {
                                            next = rows[Int(row) * classCount + Int(symbol)]
                                        } else {
                                            next = singleClass[node] == symbol ? singleTarget[node] : -1
                                        }
                                        if next < 0 { break }
                                        node = Int(next)
                                        position += 1
                                        if symbol == spaceClass, spaceClass != 0 {
                                            while position < count, byteClass[Int(text[position])] == spaceClass {
                                                position += 1
                                            }
                                        }
                                        let output = outputOfNode[node]
                                        if output >= 0,
                                            position == count || !Self.isWord(startingAt: position, in: text)
                                        {
                                            body(start..<position, Int(output))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

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
