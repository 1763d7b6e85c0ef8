import Foundation

public struct CannedResponse: Codable, Sendable, Equatable {
    public var id: ID
    public var shortcut: String
    public var title: String
    public var body: String

    public init(id: ID, shortcut: String, title: String, body: String) {
        self.id = id
        self.shortcut = shortcut
        self.title = title
        self.body = body
    }
}

public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: ID
    public var at: Date
    public var actorUserId: ID?
    public var conversationId: ID?
    public var type: String
    public var data: String

    public init(id: ID, at: Date, actorUserId: ID? = nil, conversationId: ID? = nil, type: String, data: String) {
        self.id = id
        self.at = at
        self.actorUserId = actorUserId
        self.conversationId = conversationId
        self.type = type
        self.data = data
    }
}

/// A label of the shop's catalog: what the sidebar offers as a view and the composer as a choice.
public struct Label: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    /// `#rrggbb`.
    public var color: String
    public var description: String

    public init(id: ID, name: String, color: String, description: String) {
        self.id = id
        self.name = name
        self.color = color
        self.description = description
    }
}

/// Something an agent should look at: a colleague's @mention, a conversation assigned to them.
public struct AgentNotification: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case mention, assigned
        /// A reply in their conversation (theirs to handle, or theirs as its author) cannot be delivered.
        case sendFailed = "send_failed"
        /// Their conversation's SLA due time is near (a warning) or past (the breach).
        case slaWarning = "sla_warning"
        case slaBreach = "sla_breach"
        /// A reply waits for their approval (admins), or their reply was approved or sent back.
        case approvalRequested = "approval_requested"
        case approvalDecided = "approval_decided"
    }
    public var id: ID
    public var userId: ID
    public var kind: Kind
    public var conversationId: ID
    public var messageId: ID?
    public var actorUserId: ID?
    public var createdAt: Date
    public var readAt: Date?

    public init(
        id: ID, userId: ID, kind: Kind, conversationId: ID, messageId: ID? = nil, actorUserId: ID? = nil, createdAt: Date,
        readAt: Date? = nil
    ) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.conversationId = conversationId
        self.messageId = messageId
        self.actorUserId = actorUserId
        self.createdAt = createdAt
        self.readAt = readAt
    }
}
