/// One line of the worked queue: a campaign's open members as one entry, or a post on its own.
public struct QueueGroup: Sendable, Hashable, Codable {
    /// The campaign, or `nil` for a post that is in none.
    public var campaignID: String?
    /// How many items matched the filter: 1 for a post on its own.
    public var count: Int
    /// The most urgent priority among them.
    public var priority: String
    /// The earliest deadline among them.
    public var dueAt: String?
    /// The most urgent member: the one to look at, and to decide for all.
    public var representative: QueueItem

    public init(campaignID: String?, count: Int, priority: String, dueAt: String?, representative: QueueItem) {
        self.campaignID = campaignID
        self.count = count
        self.priority = priority
        self.dueAt = dueAt
        self.representative = representative
    }
}
