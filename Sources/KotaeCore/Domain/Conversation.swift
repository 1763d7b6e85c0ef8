import Foundation

public struct Conversation: Codable, Sendable, Equatable {
    public var id: ID
    public var inboxId: ID
    public var channel: ChannelKind
    public var contactId: ID
    public var contactName: String
    public var threadKey: String
    public var priority: Priority
    public var assigneeId: ID?
    public var teamId: ID?
    public var isPublic: Bool
    public var labels: [String]
    public var clock: ConversationClock
    public var lastMessageAt: Date
    public var snippet: String
    public var updatedAt: Date
    /// What triage read in the customer's latest message: what it is about, and whether it is urgent.
    public var intent: TriageIntent? = nil
    public var urgent = false

    public init(
        id: ID, inboxId: ID, channel: ChannelKind, contactId: ID, contactName: String, threadKey: String, priority: Priority,
        assigneeId: ID? = nil, teamId: ID? = nil, isPublic: Bool, labels: [String], clock: ConversationClock, lastMessageAt: Date,
        snippet: String, updatedAt: Date
    ) {
        self.id = id
        self.inboxId = inboxId
        self.channel = channel
        self.contactId = contactId
        self.contactName = contactName
        self.threadKey = threadKey
        self.priority = priority
        self.assigneeId = assigneeId
        self.teamId = teamId
        self.isPublic = isPublic
        self.labels = labels
        self.clock = clock
        self.lastMessageAt = lastMessageAt
        self.snippet = snippet
        self.updatedAt = updatedAt
    }

    public var status: ConversationStatus { clock.status }
}
