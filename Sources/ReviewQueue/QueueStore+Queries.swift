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
    /// A group's count is its members that pass the filter; its representative is the most urgent of them.
    public func listGroups(filter: QueueFilter, limit: Int? = nil) throws(QueueError) -> [QueueGroup] {
        let items = try list(filter: filter)
        var groups: [QueueGroup] = []
        var groupIndex: [String: Int] = [:]
        // Items arrive most urgent first, so a group's first item is its representative, the group's
        // priority and deadline are its, and groups come out in order of their most urgent member.
        for item in items {
            if let id = item.campaign?.id, let index = groupIndex[id] {
                groups[index].count += 1
                continue
            }
            if let id = item.campaign?.id { groupIndex[id] = groups.count }
            groups.append(
                QueueGroup(
                    campaignID: item.campaign?.id,
                    count: 1,
                    priority: item.priority,
                    dueAt: item.dueAt,
                    representative: item
                )
            )
        }
        if let limit { return Array(groups.prefix(max(0, limit))) }
        return groups
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
