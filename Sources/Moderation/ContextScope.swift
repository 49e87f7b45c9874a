/// Limits a rule or a policy override to some authors, recipients and surfaces; an empty set means any.
public struct ContextScope: Sendable, Hashable {
    /// Author roles it applies to.
    public var authors: Set<Role>
    /// Recipient roles it applies to.
    public var recipients: Set<Role>
    /// Surfaces it applies to.
    public var surfaces: Set<Surface>

    public init(authors: Set<Role> = [], recipients: Set<Role> = [], surfaces: Set<Surface> = []) {
        self.authors = authors
        self.recipients = recipients
        self.surfaces = surfaces
    }

    /// Returns whether a post with `context` is in scope.
    public func admits(_ context: PostContext) -> Bool {
        (authors.isEmpty || authors.contains(context.authorRole))
            && (recipients.isEmpty || recipients.contains(context.recipientRole))
            && (surfaces.isEmpty || surfaces.contains(context.surface))
    }
}
