internal import GRDB

extension QueueItem {
    /// The columns `init(row:)` reads, in a `SELECT`.
    static let columns = """
        items.id, items.external_id, items.post_id, items.text, items.action, items.queue, items.priority, \
        items.due_at, items.score, items.categories, items.findings, items.campaign_id, items.campaign_size, \
        items.campaign_authors, items.policy, items.source_file, items.source_line, items.author_role, \
        items.surface, items.imported_at, items.status
        """

    /// An item from a row of `columns`, without its decisions.
    init(row: Row) {
        let categories: String = row["categories"]
        let findings: String = row["findings"]
        let campaignID: String? = row["campaign_id"]
        self.init(
            key: row["id"],
            externalID: row["external_id"],
            postID: row["post_id"],
            text: row["text"],
            action: row["action"],
            queue: row["queue"],
            priority: row["priority"],
            dueAt: row["due_at"],
            score: row["score"],
            // The import wrote these with `JSONText`; a row edited by hand to something else reads as empty.
            categories: (try? JSONReader.read(categories) { reader throws(JSONFailure) in
                try reader.readCategories(at: "categories")
            }) ?? [:],
            findings: (try? JSONReader.read(findings) { reader throws(JSONFailure) in
                try reader.readFindings(at: "findings")
            }) ?? [],
            campaign: campaignID.map {
                QueueCampaign(id: $0, size: row["campaign_size"] ?? 0, authors: row["campaign_authors"] ?? 0)
            },
            policy: row["policy"],
            sourceFile: row["source_file"],
            sourceLine: row["source_line"],
            authorRole: row["author_role"],
            surface: row["surface"],
            importedAt: row["imported_at"],
            status: row["status"],
            decisions: []
        )
    }
}
