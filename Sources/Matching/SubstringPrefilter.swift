/// An Aho-Corasick automaton, completed into a DFA over byte classes: one table lookup per byte of text,
/// whatever the number of literals. It answers one question fast: which values' literals occur anywhere in
/// a text. `Lexicon` uses it to decide which PCRE2 patterns a post needs at all.
final class SubstringPrefilter: Sendable {
    private let byteClass: [UInt8]
    private let classCount: Int
    private let transitions: [Int32]  // classCount per state
    private let outputOfState: [Int32]  // index into `outputs`, or -1
    private let outputs: [[Int]]

    /// Builds the automaton; `values` of a literal are reported when the literal occurs.
    init(literals: [(bytes: [UInt8], values: [Int])]) {
        let (byteClass, classCount) = ByteClasses.assign(literals.map(\.bytes))
        // The trie, as a dense goto table.
        var goto: [Int32] = [Int32](repeating: -1, count: classCount)
        var values: [[Int]] = [[]]
        for (bytes, literalValues) in literals where !bytes.isEmpty {
            var state = 0
            for byte in bytes {
                let slot = state * classCount + Int(byteClass[Int(byte)])
                if goto[slot] < 0 {
                    goto[slot] = Int32(values.count)
                    values.append([])
                    goto.append(contentsOf: repeatElement(-1, count: classCount))
                }
                state = Int(goto[slot])
            }
            values[state].append(contentsOf: literalValues)
        }
        // Failure links in breadth-first order, completing the table into a DFA as they are found.
        let stateCount = values.count
        var failure = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for symbol in 0..<classCount {
            let child = goto[symbol]
            if child < 0 {
                goto[symbol] = 0
            } else {
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            values[state].append(contentsOf: values[failure[state]])
            for symbol in 0..<classCount {
                let slot = state * classCount + symbol
                let child = goto[slot]
                let fallback = goto[failure[state] * classCount + symbol]
                if child < 0 {
                    goto[slot] = fallback
                } else {
                    failure[Int(child)] = Int(fallback)
                    queue.append(Int(child))
                }
            }
        }
        var outputOfState = [Int32](repeating: -1, count: stateCount)
        var outputs: [[Int]] = []
        for (state, found) in values.enumerated() where !found.isEmpty {
            outputOfState[state] = Int32(outputs.count)
            outputs.append(Array(Set(found)).sorted())
        }
        self.byteClass = byteClass
        self.classCount = classCount
        self.transitions = goto
        self.outputOfState = outputOfState
        self.outputs = outputs
    }

    /// Sets in `found` the bit of every value whose literal occurs in `text`.
    func collect(in text: UnsafeBufferPointer<UInt8>, into found: inout ValueSet) {
        guard !outputs.isEmpty else { return }
        let classCount = self.classCount
        byteClass.withUnsafeBufferPointer { byteClass in
            transitions.withUnsafeBufferPointer { transitions in
                outputOfState.withUnsafeBufferPointer { outputOfState in
                    var state = 0
                    var lastOutput: Int32 = -1
                    for byte in text {
                        state = Int(transitions[state &* classCount &+ Int(byteClass[Int(byte)])])
                        let output = outputOfState[state]
                        if output >= 0, output != lastOutput {
                            for value in outputs[Int(output)] { found.insert(value) }
                            lastOutput = output
                        }
                    }
                }
            }
        }
    }
}

/// A set of small non-negative integers as bits: no hashing, no allocation below 64 members.
struct ValueSet {
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    mutating func insert(_ value: Int) {
        if value < 64 {
            low |= 1 << UInt64(value)
            return
        }
        let word = value / 64 - 1
        if high.count <= word { high.append(contentsOf: repeatElement(0, count: word - high.count + 1)) }
        high[word] |= 1 << UInt64(value % 64)
    }

    /// Calls `body` with each member, in increasing order.
    func forEachMember(_ body: (Int) -> Void) {
        var bits = low
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        for (index, word) in high.enumerated() {
            var bits = word
            while bits != 0 {
                body((index + 1) * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}

/// Maps bytes to the small alphabet of an automaton: each byte that occurs in a literal gets a class of its
/// own (1, 2, …), every other byte class 0, so transition tables are as narrow as the literals need.
enum ByteClasses {
    /// The class of every byte, and how many classes there are (class 0 included).
    static func assign(_ literals: [[UInt8]]) -> (classes: [UInt8], count: Int) {
        var classes = [UInt8](repeating: 0, count: 256)
        var count = 1
        for literal in literals {
            for byte in literal where classes[Int(byte)] == 0 {
                classes[Int(byte)] = UInt8(truncatingIfNeeded: count)
                count += 1
            }
        }
        precondition(count <= 256, "at most 255 distinct bytes")
        return (classes, count)
    }
}
