public import Foundation

/// Why a summary could not be read or written.
public enum ReportingError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read, or is not a summary this version understands.
    case unreadableSummary(path: String, reason: String)
    /// The file could not be written.
    case unwritableSummary(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableSummary(let path, let reason): "\(path): cannot read scan summary: \(reason)"
        case .unwritableSummary(let path, let reason): "\(path): cannot write scan summary: \(reason)"
        }
    }
}

extension ScanSummary {
    /// Reads a summary written by `write(to:)`, so that a resumed scan can keep counting from it.
    public static func load(from url: URL) throws(ReportingError) -> ScanSummary {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableSummary(path: url.path, reason: Self.reason(error))
        }
        do {
            return try JSONDecoder().decode(ScanSummary.self, from: data)
        } catch {
            throw .unreadableSummary(path: url.path, reason: Self.reason(error))
        }
    }

    /// Writes the summary as pretty-printed JSON with sorted keys, replacing the file in one step.
    ///
    /// The replacement is atomic so that a scan killed while writing leaves the previous summary intact to
    /// resume from.
    public func write(to url: URL) throws(ReportingError) {
        do {
            try jsonData().write(to: url, options: .atomic)
        } catch {
            throw .unwritableSummary(path: url.path, reason: Self.reason(error))
        }
    }

    /// The summary as `summary.json` holds it: pretty printed, keys sorted, so two runs diff cleanly.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)  // a final newline, like every other text file the scan writes
        return data
    }

    /// Formats `date` as the ISO 8601 UTC timestamp that `startedAt` and `finishedAt` hold.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// A one-line reason for `error`, without the type names Foundation puts in `description`.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return (error as NSError).localizedDescription
        }
    }
}
