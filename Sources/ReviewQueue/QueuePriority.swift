public import Foundation
internal import Moderation

/// How soon an item must be looked at, most urgent first.
public enum QueuePriority: String, Sendable, Codable, CaseIterable, Comparable {
    case urgent, high, normal, low

    /// 0 for urgent up to 3 for low: the order the queue is worked in.
    public var rank: Int {
        switch self {
        case .urgent: 0
        case .high: 1
        case .normal: 2
        case .low: 3
        }
    }

    /// The review deadline after import when a verdict carries no `due_at` of its own.
    public var defaultSLA: TimeInterval {
        switch self {
        case .urgent: 3_600
        case .high: 4 * 3_600
        case .normal: 24 * 3_600
        case .low: 72 * 3_600
        }
    }

    /// Orders by urgency: `urgent < high`, so sorting ascending puts the most urgent first.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// Where an item stands: open until a moderator decides it.
public enum QueueStatus: String, Sendable, Codable, CaseIterable {
    case open, removed, approved, escalated
}

extension QueueDecision {
    /// What a moderator can decide about an item.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case remove, approve, escalate

        /// The status the item takes.
        public var status: QueueStatus {
            switch self {
            case .remove: .removed
            case .approve: .approved
            case .escalate: .escalated
            }
        }
    }
}

/// Timestamps as the queue stores them: ISO 8601 UTC to the second (`2026-11-24T16:00:00Z`). One fixed width
/// means SQL compares them as text, in time order.
enum QueueTime {
    static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func date(_ string: String) -> Date? {
        if let seconds = canonicalSeconds(string) { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date(string, strategy: .iso8601) { return date }
        return try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `string` in the stored form, or `nil` if it is not an ISO 8601 time.
    static func normalized(_ string: String) -> String? {
        if isCanonical(string) { return string }
        return date(string).map(Self.string)
    }

    /// Seconds since 1970 of a `YYYY-MM-DDTHH:MM:SSZ` time, without a formatter: the stored form, read for
    /// every item of an export, where creating an `ISO8601DateFormatter` each time took most of the time.
    static func canonicalSeconds(_ string: String) -> Double? {
        guard isCanonical(string) else { return nil }
        let bytes = Array(string.utf8)
        func number(_ range: Range<Int>) -> Int {
            range.reduce(0) { $0 * 10 + Int(bytes[$1] - UInt8(ascii: "0")) }
        }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        let (hour, minute, second) = (number(11..<13), number(14..<16), number(17..<19))
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second < 61
        else { return nil }
        return Double(CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// `date` as `2026-11-24 13:00 UTC`, the export's way of showing a time.
    static func minuteString(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
        let (year, month, day) = CivilDate.date(days: days)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2)) "
            + "\(padded(secondOfDay / 3_600, 2)):\(padded(secondOfDay % 3_600 / 60, 2)) UTC"
    }

    /// Whether `string` is already `YYYY-MM-DDTHH:MM:SSZ` (the common case: no parsing needed).
    private static func isCanonical(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        guard bytes.count == 20 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 4, 7: if byte != UInt8(ascii: "-") { return false }
            case 10: if byte != UInt8(ascii: "T") { return false }
            case 13, 16: if byte != UInt8(ascii: ":") { return false }
            case 19: if byte != UInt8(ascii: "Z") { return false }
            default: if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return false }
            }
        }
        return true
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        (self - floorModulo(divisor)) / divisor
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
