internal import ArgumentParser
internal import Foundation
internal import ReviewQueue

/// The filters `queue list` takes (and `queue export` can take): they make a `QueueFilter`.
struct QueueFilterOptions: ParsableArguments {
    /// A status, or every status.
    enum StatusChoice: String, ExpressibleByArgument, CaseIterable {
        case open, removed, approved, escalated, all
    }

    @Option(help: "Only items with this status.")
    var status: StatusChoice = .open

    @Option(
        help: ArgumentHelp(
            "Only items in this category or under it (offplatform covers offplatform.payment).",
            valueName: "category"
        )
    )
    var category: String?

    @Option(help: ArgumentHelp("Only items with this priority: urgent, high, normal or low.", valueName: "priority"))
    var priority: String?

    @Flag(help: "Only open items past their deadline.")
    var overdue = false

    @Option(help: ArgumentHelp("Only the members of this campaign.", valueName: "id"))
    var campaign: String?

    func validate() throws {
        if let priority, QueuePriority(rawValue: priority) == nil {
            throw ValidationError("--priority must be urgent, high, normal or low, not '\(priority)'")
        }
    }

    /// The filter, with `--overdue` measured at `now`.
    func filter(now: Date) -> QueueFilter {
        QueueFilter(
            status: QueueStatus(rawValue: status.rawValue),
            category: category,
            priority: priority.flatMap(QueuePriority.init(rawValue:)),
            overdueAt: overdue ? now : nil,
            campaignID: campaign
        )
    }
}
