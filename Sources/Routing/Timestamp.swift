internal import Foundation

/// ISO 8601 arithmetic for review deadlines.
enum Timestamp {
    /// Returns `timestamp` plus `hours`, in UTC with a `Z`, or `nil` when `timestamp` is not ISO 8601.
    static func adding(hours: Double, to timestamp: String) -> String? {
        let parser = ISO8601DateFormatter()
        var date = parser.date(from: timestamp)
        if date == nil {
            parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = parser.date(from: timestamp)
        }
        guard let date else { return nil }
        let printer = ISO8601DateFormatter()
        return printer.string(from: date.addingTimeInterval(hours * 3600))
    }
}
