internal import GRDB

extension QueueStore {
    /// The urgency order: priority (urgent first), then the earliest deadline, then the oldest key.
    static let urgencyOrder = "items.priority_rank, items.due_at IS NULL, items.due_at, items.id"

    /// The items that pass `filter`, most urgent first, at most `limit` of them, with their decisions.
    public func list(filter: QueueFilter, limit: Int? = nil) throws(QueueError) -> [QueueItem] {
        try read { db in try Self.items(in: db, filter: filter, limit: limit) }
    }

    /// The items that pass `filter` with each campaign folded into one group, most urgent first.
    ///
    /// A group's count is its members that pass the filter; its representative is the most urgent of them,
    /// and the group's priority and deadline are its. Groups come in the order of their representatives.
    ///
    /// The folding happens in SQL, so only the representatives shown are loaded: a window numbers each
    /// campaign's matching members by urgency and counts them, and a post in no campaign is a group alone.
    public func listGroups(filter: QueueFilter, limit: Int? = nil) throws(QueueError) -> [QueueGroup] {
        let condition = filter.condition
        var sql = """
            WITH ranked AS (
                SELECT items.id, items.campaign_id, items.priority_rank, items.due_at,
                    ROW_NUMBER() OVER (PARTITION BY items.campaign_id ORDER BY \(Self.urgencyOrder)) AS position,
                    COUNT(*) OVER (PARTITION BY items.campaign_id) AS members
                FROM items WHERE \(condition.sql)
            )
            SELECT items.id AS id, CASE WHEN items.campaign_id IS NULL THEN 1 ELSE items.members END AS members
            FROM ranked AS items
            WHERE items.campaign_id IS NULL OR items.position = 1
            ORDER BY \(Self.urgencyOrder)
            """
        var arguments = StatementArguments(condition.arguments)
        if let limit {
            sql += " LIMIT ?"
            arguments += [max(0, limit)]
        }
        return try read { db in
            let heads = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (key: row["id"] as Int64, count: row["members"] as Int)
            }
            var representatives: [Int64: QueueItem] = [:]
            for chunk in stride(from: 0, to: heads.count, by: 500) {
                let keys = heads[chunk..<min(chunk + 500, heads.count)].map(\.key)
                let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
                for item in try Self.items(
                    in: db,
                    where: "items.id IN (\(placeholders))",
                    arguments: StatementArguments(keys),
                    limit: nil
                ) {
                    representatives[item.key] = item
                }
            }
            return heads.compactMap { head in
                guard let item = representatives[head.key] else { return nil }
                return QueueGroup(
                    campaignID: item.campaign?.id,
                    count: head.count,
                    priority: item.priority,
                    dueAt: item.dueAt,
                    representative: item
                )
            }
        }
    }

    /// The item with this key and its decisions, or `nil`.
    public func item(key: Int64) throws(QueueError) -> QueueItem? {
        try read { db in
            try Self.items(in: db, where: "items.id = ?", arguments: [key], limit: nil).first
        }
    }

    /// Every member of a campaign, whatever its status, most urgent first.
    public func members(ofCampaign id: String) throws(QueueError) -> [QueueItem] {
        try list(filter: QueueFilter(status: nil, campaignID: id))
    }

    static func items(in db: Database, filter: QueueFilter, limit: Int?) throws -> [QueueItem] {
        let condition = filter.condition
        return try items(
            in: db,
            where: condition.sql,
            arguments: StatementArguments(condition.arguments),
            limit: limit
        )
    }

    static func items(
        in db: Database,
        where condition: String,
        arguments: StatementArguments,
        limit: Int?
    ) throws -> [QueueItem] {
        var sql = "SELECT \(QueueItem.columns) FROM items WHERE \(condition) ORDER BY \(urgencyOrder)"
        var arguments = arguments
        if let limit {
            sql += " LIMIT ?"
            arguments += [max(0, limit)]
        }
        var items = try Row.fetchAll(db, sql: sql, arguments: arguments).map(QueueItem.init(row:))
        try attachDecisions(to: &items, in: db)
        return items
    }

    /// Reads the decisions of `items`, oldest first, in one query per 500 items (SQLite's variable limit).
    static func attachDecisions(to items: inout [QueueItem], in db: Database) throws {
        var position: [Int64: Int] = [:]
        for (index, item) in items.enumerated() { position[item.key] = index }
        for chunk in stride(from: 0, to: items.count, by: 500) {
            let keys = items[chunk..<min(chunk + 500, items.count)].map(\.key)
            let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT item_id, decision, by, at, note FROM decisions
                    WHERE item_id IN (\(placeholders)) ORDER BY id
                    """,
                arguments: StatementArguments(keys)
            )
            while let row = try rows.next() {
                let key: Int64 = row["item_id"]
                guard let index = position[key] else { continue }
                items[index].decisions.append(
                    QueueDecision(decision: row["decision"], by: row["by"], at: row["at"], note: row["note"])
                )
            }
        }
    }
}
