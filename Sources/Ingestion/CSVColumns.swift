/// Which CSV columns hold a post's body and id, and how a record becomes the engine's JSON Lines record.
public struct CSVColumns: Sendable, Equatable {
    /// The body column's name as the header spells it.
    public let bodyName: String
    /// The body column's index.
    public let bodyIndex: Int
    /// The id column's name as the header spells it, if one was asked for.
    public let idName: String?
    /// The id column's index, if one was asked for.
    public let idIndex: Int?

    /// Finds the columns named `body` and `id` in `header`: the first exact match, else the only one that
    /// matches ignoring case and surrounding spaces.
    ///
    /// - Throws: `CSVError.missingColumn`, naming the header's columns.
    public init(header: [String], body: String, id: String? = nil) throws(CSVError) {
        bodyIndex = try Self.index(of: body, in: header)
        bodyName = header[bodyIndex]
        if let id {
            let index = try Self.index(of: id, in: header)
            idIndex = index
            idName = header[index]
        } else {
            idIndex = nil
            idName = nil
        }
    }

    /// Returns `{"id":"…","body":"…"}` for `record`, without a newline.
    ///
    /// The id is left out when no id column was asked for or the record's is empty, so the engine names the
    /// record `source:line`.
    ///
    /// - Throws: `CSVError.invalidUTF8` when the body or id is not valid UTF-8, which JSON cannot carry.
    public func jsonLine(for record: CSVRecord) throws(CSVError) -> [UInt8] {
        var line: [UInt8] = []
        try appendJSONLine(for: record, to: &line)
        return line
    }

    /// Appends `jsonLine(for:)` to `buffer`; on a throw, `buffer` is unchanged.
    public func appendJSONLine(for record: CSVRecord, to buffer: inout [UInt8]) throws(CSVError) {
        precondition(record.count > max(bodyIndex, idIndex ?? 0), "records read by CSVReader match the header")
        let body = try text(of: bodyIndex, name: bodyName, in: record)
        let id = try idIndex.flatMap { index throws(CSVError) in try text(of: index, name: idName ?? "", in: record) }
        buffer.append(UInt8(ascii: "{"))
        if let id, !id.isEmpty {
            buffer.append(contentsOf: #""id":"#.utf8)
            JSONWriter.appendString(id, to: &buffer)
            buffer.append(UInt8(ascii: ","))
        }
        buffer.append(contentsOf: #""body":"#.utf8)
        JSONWriter.appendString(body, to: &buffer)
        buffer.append(UInt8(ascii: "}"))
    }

    private func text(of index: Int, name: String, in record: CSVRecord) throws(CSVError) -> String {
        guard let text = String(validating: record[index], as: UTF8.self) else {
            let start = record.position(ofField: index)
            throw .invalidUTF8(line: start.line, column: start.column, columnName: name)
        }
        return text
    }

    private static func index(of name: String, in header: [String]) throws(CSVError) -> Int {
        if let exact = header.firstIndex(of: name) { return exact }
        let wanted = folded(name)
        let loose = header.indices.filter { folded(header[$0]) == wanted }
        guard loose.count == 1 else { throw .missingColumn(name: name, available: header) }
        return loose[0]
    }

    private static func folded(_ name: String) -> String {
        var trimmed = Substring(name)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        return trimmed.lowercased()
    }
}
