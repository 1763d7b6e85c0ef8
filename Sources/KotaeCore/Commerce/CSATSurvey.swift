import Foundation

/// One satisfaction survey, for one resolution of a conversation: a 1–5 rating and a comment
/// through a signed single-use link, credited to the agent who resolved it.
public struct CSATSurvey: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Waits for its delay after the resolution.
        case scheduled
        case sent
        case answered
        /// The channel did not allow it, or Kotae has no public address for the link.
        case skipped
        /// The conversation was reopened before it went.
        case cancelled
    }

    public var id: ID
    public var conversationId: ID
    public var resolvedBy: ID?
    public var resolvedAt: Date
    public var state: State
    public var dueAt: Date
    public var rating: Int?
    public var comment: String?
    public var note: String?
    public var answeredAt: Date?

    public init(
        id: ID, conversationId: ID, resolvedBy: ID?, resolvedAt: Date, state: State, dueAt: Date, rating: Int? = nil, comment: String? = nil,
        note: String? = nil, answeredAt: Date? = nil
    ) {
        self.id = id
        self.conversationId = conversationId
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.state = state
        self.dueAt = dueAt
        self.rating = rating
        self.comment = comment
        self.note = note
        self.answeredAt = answeredAt
    }
}
