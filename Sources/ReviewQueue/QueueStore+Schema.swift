internal import GRDB

extension QueueStore {
    /// The schema, one migration per version; a database made by an older triage is brought up to date.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // `id` is the item's key: AUTOINCREMENT so a key is never reused, even after a delete, and an old
            // decision in the audit trail never points at a new post.
            try db.execute(
                sql: """
                    CREATE TABLE items (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        external_id TEXT NOT NULL UNIQUE,
                        post_id TEXT NOT NULL,
                        text TEXT NOT NULL,
                        action TEXT NOT NULL,
                        queue TEXT NOT NULL,
                        priority TEXT NOT NULL,
                        priority_rank INTEGER NOT NULL,
                        due_at TEXT,
                        score REAL NOT NULL,
                        categories TEXT NOT NULL,
                        findings TEXT NOT NULL,
                        campaign_id TEXT,
                        campaign_size INTEGER,
                        campaign_authors INTEGER,
                        policy TEXT NOT NULL,
                        source_file TEXT,
                        source_line INTEGER,
                        author_role TEXT,
                        surface TEXT,
                        imported_at TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'open',
                        decided_at TEXT
                    );
                    CREATE INDEX items_status ON items(status);
                    CREATE INDEX items_urgency ON items(priority_rank, due_at);
                    CREATE INDEX items_due_at ON items(due_at);
                    CREATE INDEX items_queue ON items(queue);
                    CREATE INDEX items_campaign ON items(campaign_id) WHERE campaign_id IS NOT NULL;
                    CREATE TABLE findings (
                        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                        rule TEXT NOT NULL,
                        category TEXT NOT NULL,
                        PRIMARY KEY (item_id, rule)
                    ) WITHOUT ROWID;
                    CREATE INDEX findings_rule ON findings(rule);
                    CREATE TABLE decisions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                        decision TEXT NOT NULL,
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        note TEXT
                    );
                    CREATE INDEX decisions_item ON decisions(item_id);
                    """
            )
        }
        return migrator
    }
}
