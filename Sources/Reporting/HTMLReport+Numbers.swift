internal import Foundation

// Numbers and times as the report writes them: the same on every machine, whatever its locale.
extension HTMLReport {
    /// `12,345`: grouped by thousands with commas, whatever the machine's locale.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// `12.3%` of `whole`, or `0.0%` when `whole` is zero.
    static func percent(_ part: Int, of whole: Int) -> String {
        decimal(whole > 0 ? Double(part) * 100 / Double(whole) : 0, digits: 1) + "%"
    }

    /// `value` with `digits` decimals, a point as separator.
    static func decimal(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value.isFinite ? value : 0)
    }

    /// A rate with as many decimals as make it readable: `0.42`, `8.5`, `118`.
    static func rate(_ value: Double) -> String {
        decimal(value, digits: value < 1 ? 2 : value < 100 ? 1 : 0)
    }

    /// `48.2 MB`, in decimal units like MB/s.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1_000, unit < units.count - 1 {
            scaled /= 1_000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : "\(decimal(scaled, digits: 1)) \(units[unit])"
    }

    /// `1 h 02 min`, `3 min 12 s` or `4.2 s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds >= 60 else { return "\(rate(seconds)) s" }
        let whole = Int(seconds.rounded())
        let (hours, minutes, rest) = (whole / 3_600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? "\(hours) h \(String(format: "%02d", minutes)) min" : "\(minutes) min \(String(format: "%02d", rest)) s"
    }

    /// `2026-11-24 10:00:00 UTC` for `2026-11-24T10:00:00Z`; other forms as written.
    static func readable(_ stamp: String) -> String {
        guard stamp.count == 20, stamp.hasSuffix("Z"), stamp.dropFirst(10).first == "T" else { return stamp }
        return stamp.prefix(10) + " " + stamp.dropFirst(11).dropLast() + " UTC"
    }

    /// `word`, with an s unless `value` is 1.
    static func plural(_ value: Int, _ word: String) -> String { value == 1 ? word : word + "s" }
}
