public import Foundation

/// A file format the review queue exports to.
public enum QueueExportFormat: String, Sendable, Hashable, CaseIterable {
    /// A spreadsheet: one row per item, safe to open in Excel, LibreOffice or Google Sheets.
    case csv
    /// One JSON object per line, with every field of the item: for other tools and for archives.
    case jsonl
    /// One self-contained HTML page for a moderator's shift.
    case html
    /// Request bodies for Zendesk's Ticket Import API (`POST /api/v2/imports/tickets/create_many`).
    case zendesk

    /// Whether the format replaces personal data with placeholders unless told otherwise.
    ///
    /// CSV and Zendesk files leave the moderation team: spreadsheets get mailed and sit in download
    /// folders, and a help desk is another company's system, so they hide third-party personal data by
    /// default. The HTML page is the moderators' own working view (deciding a doxxing report needs the
    /// number that was posted), and JSONL is the lossless archive format, so both keep the text as it is.
    public var redactsPIIByDefault: Bool {
        switch self {
        case .csv, .zendesk: true
        case .jsonl, .html: false
        }
    }

    /// The usual file name extension.
    public var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .jsonl: "jsonl"
        case .html: "html"
        case .zendesk: "json"
        }
    }
}

/// How an export is written.
public struct QueueExportOptions: Sendable, Hashable {
    /// Whether personal data (the spans of `pii.*` findings) is replaced by placeholders such as `[EMAIL]`;
    /// `nil` takes the format's default (`QueueExportFormat.redactsPIIByDefault`).
    public var redactPII: Bool?
    /// The time overdue items are measured against.
    public var now: Date
    /// The HTML page's title.
    public var title: String
    /// The categories whose text the HTML page hides until a moderator clicks it (a category also matches
    /// its subcategories: `sexual` covers `sexual.unwanted`).
    public var maskedCategories: Set<String>

    /// The categories that are hard to look at, hidden by default on the shift page for reviewer wellness.
    public static let defaultMaskedCategories: Set<String> = [
        "hate", "sexual", "sexual.unwanted", "violence", "minor_safety", "self_harm", "harassment",
    ]

    public init(
        redactPII: Bool? = nil,
        now: Date = Date(),
        title: String = "Triage review shift",
        maskedCategories: Set<String> = QueueExportOptions.defaultMaskedCategories
    ) {
        self.redactPII = redactPII
        self.now = now
        self.title = title
        self.maskedCategories = maskedCategories
    }

    /// Whether an export in `format` redacts personal data.
    public func redactsPII(in format: QueueExportFormat) -> Bool {
        redactPII ?? format.redactsPIIByDefault
    }
}

/// The review queue's exports: pure functions from items to file contents.
///
/// Items are written in the order given; the store decides it (most urgent first).
public enum QueueExport {
    /// `items` in `format`, as the bytes of one file (UTF-8).
    public static func render(
        _ items: [QueueItem],
        format: QueueExportFormat,
        options: QueueExportOptions = QueueExportOptions()
    ) -> Data {
        let items = options.redactsPII(in: format) ? items.map { $0.redactingPII() } : items
        switch format {
        case .csv: return Data(CSVExport.render(items, now: options.now).utf8)
        case .jsonl: return JSONLExport.render(items)
        case .html: return Data(HTMLShiftExport.render(items, options: options).utf8)
        case .zendesk: return ZendeskExport.render(items)
        }
    }
}
