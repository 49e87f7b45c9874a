public import Foundation
internal import GRDB

extension QueueStore {
    /// The queue's numbers at `now`, from one consistent snapshot.
    public func stats(now: Date) throws(QueueError) -> QueueStats {
        let nowString = QueueTime.string(now)
        return try read { db in
            var byPriority = Dictionary(uniqueKeysWithValues: QueuePriority.allCases.map { ($0.rawValue, 0) })
            var ages = QueueStats.AgeBuckets()
            var open = 0
            let priorities = try Row.fetchCursor(
                db,
                sql: "SELECT priority, COUNT(*) AS n FROM items WHERE status = 'open' GROUP BY priority"
            )
            while let row = try priorities.next() {
                let count: Int = row["n"]
                byPriority[row["priority"], default: 0] += count
                open += count
            }
            // Hours since import, by SQLite's julianday (it reads the stored `…Z` times).
            let age = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                        SUM(h < 1) AS a, SUM(h >= 1 AND h < 4) AS b, SUM(h >= 4 AND h < 24) AS c, SUM(h >= 24) AS d
                    FROM (SELECT (julianday(?) - julianday(imported_at)) * 24 AS h FROM items WHERE status = 'open')
                    """,
                arguments: [nowString]
            )
            ages.underOneHour = age?["a"] ?? 0
            ages.oneToFourHours = age?["b"] ?? 0
            ages.fourToTwentyFourHours = age?["c"] ?? 0
            ages.overTwentyFourHours = age?["d"] ?? 0
            let overdue =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM items WHERE status = 'open' AND due_at < ?",
                    arguments: [nowString]
                ) ?? 0
            let sla = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS decided, COUNT(due_at) AS with_deadline,
                        COALESCE(SUM(due_at IS NOT NULL AND decided_at <= due_at), 0) AS on_time
                    FROM items WHERE status != 'open'
                    """
            )
            let decided: Int = sla?["decided"] ?? 0
            let withDeadline: Int = sla?["with_deadline"] ?? 0
            let onTime: Int = sla?["on_time"] ?? 0
            let rules = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.rule, MIN(f.category) AS category, COUNT(*) AS decided,
                        SUM(i.status = 'removed') AS removed, SUM(i.status = 'approved') AS approved
                    FROM findings f JOIN items i ON i.id = f.item_id
                    WHERE i.status != 'open'
                    GROUP BY f.rule
                    """
            ).map {
                QueueStats.RuleStats(
                    rule: $0["rule"],
                    category: $0["category"],
                    decided: $0["decided"],
                    removed: $0["removed"],
                    approved: $0["approved"]
                )
            }
            return QueueStats(
                open: open,
                openByPriority: byPriority,
                openByAge: ages,
                overdue: overdue,
                decided: decided,
                decidedWithDeadline: withDeadline,
                decidedOnTime: onTime,
                slaAttainment: withDeadline == 0 ? nil : Double(onTime) / Double(withDeadline),
                rules: rules.sorted {
                    ($0.precision, -$0.decided, $0.rule) < ($1.precision, -$1.decided, $1.rule)
                }
            )
        }
    }
}
