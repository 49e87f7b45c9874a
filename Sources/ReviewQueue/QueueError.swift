internal import GRDB

/// What can go wrong with the review queue; each description is one line that says where and why.
public enum QueueError: Error, Equatable, CustomStringConvertible {
    /// The database could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A query or a write failed.
    case database(path: String, reason: String)
    /// A verdicts file could not be read.
    case unreadable(path: String, reason: String)
    /// No item has this key.
    case noSuchItem(key: Int64)
    /// The item already has a decision, and no override was asked for.
    case alreadyDecided(key: Int64, decision: String, by: String, at: String)
    /// A campaign id that no item has.
    case noSuchCampaign(id: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open the queue database: \(reason)"
        case .database(let path, let reason): "\(path): \(reason)"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .noSuchItem(let key): "no item \(key) in the queue"
        case .alreadyDecided(let key, let decision, let by, let at):
            "item \(key) was already decided: \(decision) by \(by) at \(at) — pass --override to record a new decision"
        case .noSuchCampaign(let id): "no campaign \(id) in the queue"
        }
    }

    /// A database error's message without its SQL arguments (which could hold post text).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                // The transaction did not begin, and imports are idempotent (stable item ids): a re-run is safe.
                return "\(error.resultCode): another process holds the database locked past the busy timeout; "
                    + "this write was not made; run the command again once it is released"
            }
            return "\(error.resultCode): \(error.message ?? "SQLite error")"
        }
        return "\(error)"
    }
}
