/// What an import did, line by line.
public struct ImportResult: Sendable, Hashable, Codable {
    /// Verdicts that became new items.
    public var added = 0
    /// Verdicts already in the queue (the same post, source and policy): imported before, left as they are.
    public var alreadyPresent = 0
    /// Lines that are not for review: `allow` verdicts and error records.
    public var skipped = 0
    /// Lines that are not verdicts, with why.
    public var invalid: [InvalidLine] = []

    /// A line that could not be imported.
    public struct InvalidLine: Sendable, Hashable, Codable {
        /// 1-based, in the input.
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public init() {}

    /// Adds another import's counts (for several files).
    public mutating func add(_ other: ImportResult) {
        added += other.added
        alreadyPresent += other.alreadyPresent
        skipped += other.skipped
        invalid += other.invalid
    }
}
