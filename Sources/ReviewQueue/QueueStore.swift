public import Foundation
internal import GRDB

/// The review queue's database: verdicts imported for review, the decisions moderators make, and the numbers
/// that come from them.
///
/// It is SQLite through GRDB (groue/GRDB.swift). GRDB is well kept and documented, opens a `DatabasePool` in
/// WAL mode so readers never wait for the writer, runs a `DatabaseMigrator` for schema versions, caches
/// prepared statements, and sits on the system SQLite (`libsqlite3`), so there is no C to vendor. Every write
/// is an `IMMEDIATE` transaction (GRDB's default for writes) under a busy timeout: two processes importing and
/// deciding on one file wait for each other instead of failing with `SQLITE_BUSY`.
public final class QueueStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// How long a write waits for another connection's write before it fails, by default.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (or creates) the queue database at `path` and brings its schema up to date; a write waits up to
    /// `busyTimeout` seconds for another process's write (or lock) before it fails with `SQLITE_BUSY`.
    public init(path: String, busyTimeout: TimeInterval = QueueStore.busyTimeout) throws(QueueError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "triage.queue"
        configuration.prepareDatabase { db in
            // Decisions and findings point at their item; SQLite checks that only when asked.
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // WAL with NORMAL sync is durable across process crashes, and commits without an fsync each.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw .cannotOpen(path: path, reason: QueueError.describe(error))
        }
    }

    /// Runs `body` in one write transaction, turning database errors into `QueueError`.
    func write<T>(_ body: (Database) throws -> T) throws(QueueError) -> T {
        do {
            return try pool.write(body)
        } catch let error as QueueError {
            throw error
        } catch {
            throw .database(path: path, reason: QueueError.describe(error))
        }
    }

    /// Runs `body` on a read-only snapshot, turning database errors into `QueueError`.
    func read<T>(_ body: (Database) throws -> T) throws(QueueError) -> T {
        do {
            return try pool.read(body)
        } catch let error as QueueError {
            throw error
        } catch {
            throw .database(path: path, reason: QueueError.describe(error))
        }
    }
}
