public import Foundation

/// Which items a query returns: `queue list` and `queue export` take the same filters.
///
/// Every field left `nil` (or `false`) lets every item through; the fields that are set must all match.
public struct QueueFilter: Sendable, Hashable {
    /// Only items with this status; `nil` for every status.
    public var status: QueueStatus?
    /// Only items whose queue, or any category with a score, is this category or under it: `offplatform`
    /// covers `offplatform.payment`.
    public var category: String?
    /// Only items with this priority.
    public var priority: QueuePriority?
    /// Only open items whose deadline is before this time (overdue now, when given `Date()`).
    public var overdueAt: Date?
    /// Only the members of this campaign.
    public var campaignID: String?

    public init(
        status: QueueStatus? = .open,
        category: String? = nil,
        priority: QueuePriority? = nil,
        overdueAt: Date? = nil,
        campaignID: String? = nil
    ) {
        self.status = status
        self.category = category
        self.priority = priority
        self.overdueAt = overdueAt
        self.campaignID = campaignID
    }

    /// Every item, whatever its status.
    public static let all = QueueFilter(status: nil)

    /// The SQL condition (for `WHERE`) and its arguments, over the table `items`.
    var condition: (sql: String, arguments: [String]) {
        var clauses: [String] = []
        var arguments: [String] = []
        if let status {
            clauses.append("items.status = ?")
            arguments.append(status.rawValue)
        }
        if let category {
            // A prefix compare rather than LIKE: category names may hold `_`, LIKE's wildcard.
            let prefix = category + "."
            clauses.append(
                """
                (items.queue = ? OR substr(items.queue, 1, length(?)) = ? OR EXISTS (SELECT 1 FROM \
                json_each(items.categories) AS c WHERE c.key = ? OR substr(c.key, 1, length(?)) = ?))
                """
            )
            arguments += [category, prefix, prefix, category, prefix, prefix]
        }
        if let priority {
            clauses.append("items.priority = ?")
            arguments.append(priority.rawValue)
        }
        if let overdueAt {
            clauses.append("items.status = 'open' AND items.due_at < ?")
            arguments.append(QueueTime.string(overdueAt))
        }
        if let campaignID {
            clauses.append("items.campaign_id = ?")
            arguments.append(campaignID)
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }
}
