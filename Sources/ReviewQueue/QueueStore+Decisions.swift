public import Foundation
internal import GRDB

extension QueueStore {
    /// Records a moderator's decision on an item and returns how many items it decided.
    ///
    /// Each decided item gets a row in the audit trail and the decision's status. An item in a campaign is
    /// decided with every open member of its campaign at once: near-identical posts get one judgement. An
    /// item that is already decided is refused with `QueueError.alreadyDecided` unless `override` is set;
    /// then the new decision is recorded beside the old one, which stays in the trail, and the item's
    /// first-decision time (for the SLA) is kept.
    @discardableResult
    public func decide(
        key: Int64,
        decision: QueueDecision.Kind,
        by moderator: String,
        note: String? = nil,
        now: Date,
        override: Bool = false
    ) throws(QueueError) -> Int {
        let at = QueueTime.string(now)
        return try write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT status, campaign_id FROM items WHERE id = ?",
                    arguments: [key]
                )
            else { throw QueueError.noSuchItem(key: key) }
            let status: String = row["status"]
            if status != QueueStatus.open.rawValue, !override {
                let last = try Row.fetchOne(
                    db,
                    sql: "SELECT decision, by, at FROM decisions WHERE item_id = ? ORDER BY id DESC LIMIT 1",
                    arguments: [key]
                )
                throw QueueError.alreadyDecided(
                    key: key,
                    decision: last?["decision"] ?? status,
                    by: last?["by"] ?? "?",
                    at: last?["at"] ?? "?"
                )
            }
            var keys = [key]
            if let campaignID: String = row["campaign_id"] {
                keys += try Int64.fetchAll(
                    db,
                    sql: "SELECT id FROM items WHERE campaign_id = ? AND status = 'open' AND id != ? ORDER BY id",
                    arguments: [campaignID, key]
                )
            }
            let record = try db.cachedStatement(
                sql: "INSERT INTO decisions (item_id, decision, by, at, note) VALUES (?, ?, ?, ?, ?)"
            )
            let update = try db.cachedStatement(
                sql: "UPDATE items SET status = ?, decided_at = COALESCE(decided_at, ?) WHERE id = ?"
            )
            for member in keys {
                try record.execute(arguments: [member, decision.rawValue, moderator, at, note])
                try update.execute(arguments: [decision.status.rawValue, at, member])
            }
            return keys.count
        }
    }
}
