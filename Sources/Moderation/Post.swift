/// Who wrote a post or receives it, as far as moderation cares.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case creator
    case fan
    case staff
    case unknown
}

/// Where on the platform a post appears.
public enum Surface: String, Sendable, Hashable, CaseIterable {
    case post
    case comment
    case dm
    case bio
    case caption
    case unknown
}

/// How a post's body is written.
public enum BodyFormat: String, Sendable, Hashable {
    case text
    case html
}

/// The circumstances of a post: who wrote it, to whom, and where.
///
/// Rules and policy overrides are scoped by these; a fan's DM to a creator is not a creator's own post.
public struct PostContext: Sendable, Hashable {
    /// The author's role; `.unknown` when the record does not say.
    public var authorRole: Role
    /// The recipient's role, for DMs and replies; `.unknown` when the record does not say.
    public var recipientRole: Role
    /// Where the post appears.
    public var surface: Surface
    /// The author's account age in days, when the record gives it.
    public var authorAccountAgeDays: Int?

    public init(
        authorRole: Role = .unknown,
        recipientRole: Role = .unknown,
        surface: Surface = .unknown,
        authorAccountAgeDays: Int? = nil
    ) {
        self.authorRole = authorRole
        self.recipientRole = recipientRole
        self.surface = surface
        self.authorAccountAgeDays = authorAccountAgeDays
    }
}

/// One piece of content to moderate, as the source read it.
public struct Post: Sendable {
    /// The record's id, or one made from its source and line when the record has none.
    public var id: String
    /// The body exactly as written (text or HTML source).
    public var body: String
    /// Whether `body` is plain text or HTML.
    public var format: BodyFormat
    /// Author, recipient and surface.
    public var context: PostContext
    /// The record's `created_at`, as written (ISO 8601), when present.
    public var createdAt: String?

    public init(
        id: String,
        body: String,
        format: BodyFormat = .text,
        context: PostContext = PostContext(),
        createdAt: String? = nil
    ) {
        self.id = id
        self.body = body
        self.format = format
        self.context = context
        self.createdAt = createdAt
    }
}
