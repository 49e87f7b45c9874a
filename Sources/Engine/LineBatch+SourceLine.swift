public import Ingestion

extension LineBatch {
    /// Appends a line read by a `LineSplitter`: its bytes, or only its length when it was oversized.
    public mutating func append(_ line: SourceLine) {
        if let oversized = line.oversizedByteCount {
            appendOversized(byteCount: oversized, number: line.number)
        } else {
            append(line.bytes, number: line.number)
        }
    }
}
