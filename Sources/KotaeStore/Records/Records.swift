import Foundation
import KotaeCore

public typealias ID = Int64

public struct User: Codable, Sendable, Equatable {
    public var id: ID
    public var email: String
    public var name: String
    public var role: UserRole
    public var locale: String
    public var timeZone: String
    public var disabled: Bool
    public var createdAt: Date

    public init(id: ID, email: String, name: String, role: UserRole, locale: String, timeZone: String, disabled: Bool, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.locale = locale
        self.timeZone = timeZone
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

public struct Team: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var memberIds: [ID]
}

public struct Inbox: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var channel: ChannelKind
    /// Channel settings that are not secret (e.g. the API channel's outbound webhook URL).
    public var settings: [String: String]
    /// Whether secret credentials are stored; their values never leave the server.
    public var hasCredentials: Bool
    public var slaPolicy: SLAPolicy
    public var createdAt: Date
}

extension Inbox {
    /// The setting that carries a channel problem an admin must act on (`setChannelProblem`).
    public static let channelProblemSetting = "credentialProblem"
    /// Apps whose messages on the page count as a person's answer (Messenger's `app_id`).
    public static let humanAppIdsSetting = "humanAppIds"

    /// Whether a message the page sent from `appId` answers the customer. An echo that does
    /// not name its app (Instagram's) is the page's own; a named app must be listed.
    public func countsAsHumanAnswer(appId: String?) -> Bool {
        guard let appId else { return true }
        let listed = (settings[Self.humanAppIdsSetting] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return listed.contains(appId)
    }
}

public struct ContactIdentity: Codable, Sendable, Equatable, Hashable {
    /// The identity's kind: a channel name (`email`, `facebook`, `line`, …) or `phone`.
    public var channel: String
    public var externalId: String
    public init(channel: String, externalId: String) {
        self.channel = channel
        self.externalId = externalId
    }
}

public struct Contact: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var email: String?
    public var phone: String?
    public var identities: [ContactIdentity]
    public var mergedInto: ID?
    public var createdAt: Date
    /// Their profile picture from the platform, in the attachment store.
    public var avatarSHA256: String? = nil
}

public struct Message: Codable, Sendable, Equatable {
    public var id: ID
    public var conversationId: ID
    public var inboxId: ID
    public var kind: MessageKind
    public var authorUserId: ID?
    public var text: String
    public var html: String?
    public var externalId: String?
    public var deliveryState: DeliveryState
    public var deliveryError: String?
    public var attachments: [Attachment]
    /// An outbound answer to a public comment sent privately (a DM) rather than in public.
    public var privateReply: Bool
    /// When the page liked this public comment.
    public var likedAt: Date?
    /// Why the page hid this public comment from the public (spam only); nil when visible.
    public var hiddenReason: String?
    /// What the customer did to it afterwards on the platform: "edited", "remove" (a
    /// comment) or "unsent" (a private message). `text` keeps what they first wrote.
    public var authorChange: String?
    public var authorChangedAt: Date?
    /// The text after the customer's edit.
    public var editedText: String?
    public var sentAt: Date?
    public var createdAt: Date
    /// Why `sentAt` is the time Kotae received it: the platform's own time was impossible.
    public var timeNote: String?
    /// For a reply: the customer's message (comment, post) it answers.
    public var replyToId: ID? = nil
    /// For a customer's public comment: when it was answered, or consciously closed.
    public var handledAt: Date? = nil
    public var details = MessageDetails()

    /// Where public comments and posts come from, each needing its own answer.
    public static let publicItemPrefixes = ["fb:c:", "ig:c:", "x:t:", "ig:mention:"]

    /// A customer's public comment or post (not a private message).
    public var isPublicItem: Bool {
        kind == .inbound && Self.publicItemPrefixes.contains { externalId?.hasPrefix($0) == true }
    }
}

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

    public var status: ConversationStatus { clock.status }
}

public struct CannedResponse: Codable, Sendable, Equatable {
    public var id: ID
    public var shortcut: String
    public var title: String
    public var body: String
}

public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: ID
    public var at: Date
    public var actorUserId: ID?
    public var conversationId: ID?
    public var type: String
    public var data: String
}

public enum JobState: String, Codable, Sendable {
    case queued, running, done, dead
}

public struct Job: Codable, Sendable, Equatable {
    public var id: ID
    public var kind: String
    public var payload: String
    public var state: JobState
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var lastError: String?
}

/// A label of the shop's catalog: what the sidebar offers as a view and the composer as a choice.
public struct Label: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    /// `#rrggbb`.
    public var color: String
    public var description: String
}

/// Something an agent should look at: a colleague's @mention, a conversation assigned to them.
public struct AgentNotification: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case mention, assigned
        /// A reply in their conversation (theirs to handle, or theirs as its author) cannot be delivered.
        case sendFailed = "send_failed"
    }
    public var id: ID
    public var userId: ID
    public var kind: Kind
    public var conversationId: ID
    public var messageId: ID?
    public var actorUserId: ID?
    public var createdAt: Date
    public var readAt: Date?
}

/// An API token as its owner sees it: never the token itself, which is shown once.
public struct APIToken: Codable, Sendable, Equatable {
    public var id: ID
    public var userId: ID
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// When it stops working; nil = until revoked.
    public var expiresAt: Date?
    public var revokedAt: Date?

    public func isLive(at now: Date = Date()) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }
}
