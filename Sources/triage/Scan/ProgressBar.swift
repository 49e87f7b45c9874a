internal import Foundation

/// A one-line progress bar on stderr: bytes done of the total, posts per second and time left, redrawn a
/// few times a second (each redraw overwrites the line with a carriage return).
///
/// Used from one queue at a time (the writer's), hence `@unchecked Sendable`.
final class ProgressBar: @unchecked Sendable {
    private let total: Int64
    private let started = Date()
    private var lastDraw = Date.distantPast
    private let width = 28

    init(totalBytes: Int64) {
        total = max(totalBytes, 1)
    }

    /// Redraws the bar if a quarter of a second has passed since the last redraw (or `force`).
    func update(bytes: Int64, records: Int, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.25 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let fraction = min(1, Double(bytes) / Double(total))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(records) / elapsed
        let bytesPerSecond = Double(bytes) / elapsed
        let left = bytesPerSecond > 0 ? Double(total - bytes) / bytesPerSecond : 0
        let line =
            "\r\(bar) \(Self.percent(fraction)) \(Self.size(bytes))/\(Self.size(total)) "
            + "\(Self.count(rate)) posts/s ETA \(Self.duration(left))\u{1B}[K"
        try? OutputFile.standardError.write(Array(line.utf8))
    }

    /// Ends the bar's line, leaving its last state on screen.
    func finish() {
        try? OutputFile.standardError.write(Array("\n".utf8))
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%3.0f%%", fraction * 100)
    }

    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(bytes) B"
    }

    static func count(_ value: Double) -> String {
        value >= 1e6
            ? String(format: "%.2fM", value / 1e6)
            : value >= 1e3 ? String(format: "%.1fk", value / 1e3) : String(format: "%.0f", value)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let whole = Int(seconds.rounded())
        return whole >= 3600
            ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
