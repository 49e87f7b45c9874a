internal import Foundation

/// The parts of a verdict line (`triage filter` or `triage scan` output) the queue keeps.
struct VerdictLine: Decodable {
    var id: PostID?
    var body: String?
    var author: Author?
    var surface: String?
    var error: ErrorPart?
    var moderation: Moderation

    struct Author: Decodable {
        var role: String?
    }

    /// Only its presence matters: an error record is a line that could not be read, not a post.
    struct ErrorPart: Decodable {}

    struct Moderation: Decodable {
        var action: String
        var queue: String?
        var priority: String?
        var dueAt: String?
        var score: Double?
        var categories: [String: Double]?
        var findings: [QueueFinding]?
        var policy: String?
        var source: Source?
        var campaign: QueueCampaign?
        var text: String?

        enum CodingKeys: String, CodingKey {
            case action, queue, priority, score, categories, findings, policy, source, campaign, text
            case dueAt = "due_at"
        }
    }

    struct Source: Decodable {
        var file: String
        var line: Int?
    }

    /// A post id as records write it: a string, or a number.
    struct PostID: Decodable {
        var value: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                value = string
            } else if let integer = try? container.decode(Int64.self) {
                value = String(integer)
            } else {
                value = String(try container.decode(Double.self))
            }
        }
    }

    /// `body` when it is a string; a structured body (an object) leaves the text to `moderation.text`.
    enum CodingKeys: String, CodingKey {
        case id, body, author, surface, error, moderation
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(PostID.self, forKey: .id)
        body = try? container.decodeIfPresent(String.self, forKey: .body)
        author = try? container.decodeIfPresent(Author.self, forKey: .author)
        surface = try? container.decodeIfPresent(String.self, forKey: .surface)
        error = try container.decodeIfPresent(ErrorPart.self, forKey: .error)
        moderation = try container.decode(Moderation.self, forKey: .moderation)
    }
}
