internal import Moderation

/// ISO 8601 arithmetic for review deadlines, without Foundation's formatters (which cost tens of
/// microseconds each and would dominate a stream of flagged posts).
enum Timestamp {
    /// Returns `timestamp` plus `hours` as `YYYY-MM-DDTHH:MM:SSZ` (UTC), or `nil` when `timestamp` is not
    /// `YYYY-MM-DDTHH:MM:SS` with optional fractional seconds and a `Z` or `±HH:MM` offset.
    static func adding(hours: Double, to timestamp: String) -> String? {
        guard let seconds = secondsSinceEpoch(timestamp) else { return nil }
        return format(seconds + Int((hours * 3600).rounded()))
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    static func secondsSinceEpoch(_ timestamp: String) -> Int? {
        let bytes = Array(timestamp.utf8)
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] | 0x20 == 0x74, bytes[13] == 0x3A,
            bytes[16] == 0x3A,
            let year = number(bytes, 0..<4), let month = number(bytes, 5..<7), let day = number(bytes, 8..<10),
            let hour = number(bytes, 11..<13), let minute = number(bytes, 14..<16),
            let second = number(bytes, 17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == 0x2E {  // fractional seconds: ignored
            index += 1
            while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
        }
        var offset = 0
        if index == bytes.count {
            offset = 0  // no zone: taken as UTC
        } else if bytes[index] | 0x20 == 0x7A, index + 1 == bytes.count {
            offset = 0
        } else if bytes[index] == 0x2B || bytes[index] == 0x2D, bytes.count == index + 6, bytes[index + 3] == 0x3A,
            let hours = number(bytes, index + 1..<index + 3), let minutes = number(bytes, index + 4..<index + 6)
        {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
    static func format(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    private static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in bytes[range] {
            guard byte &- 0x30 < 10 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
