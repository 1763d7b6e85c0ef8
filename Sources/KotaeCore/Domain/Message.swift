import Foundation

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

    public init(
        id: ID, conversationId: ID, inboxId: ID, kind: MessageKind, authorUserId: ID? = nil, text: String, html: String? = nil,
        externalId: String? = nil, deliveryState: DeliveryState, deliveryError: String? = nil, attachments: [Attachment], privateReply: Bool,
        likedAt: Date? = nil, hiddenReason: String? = nil, authorChange: String? = nil, authorChangedAt: Date? = nil,
        editedText: String? = nil, sentAt: Date? = nil, createdAt: Date, timeNote: String? = nil, replyToId: ID? = nil,
        handledAt: Date? = nil, details: MessageDetails = MessageDetails()
    ) {
        self.id = id
        self.conversationId = conversationId
        self.inboxId = inboxId
        self.kind = kind
        self.authorUserId = authorUserId
        self.text = text
        self.html = html
        self.externalId = externalId
        self.deliveryState = deliveryState
        self.deliveryError = deliveryError
        self.attachments = attachments
        self.privateReply = privateReply
        self.likedAt = likedAt
        self.hiddenReason = hiddenReason
        self.authorChange = authorChange
        self.authorChangedAt = authorChangedAt
        self.editedText = editedText
        self.sentAt = sentAt
        self.createdAt = createdAt
        self.timeNote = timeNote
        self.replyToId = replyToId
        self.handledAt = handledAt
        self.details = details
    }

    /// A customer's public comment or post (not a private message).
    public var isPublicItem: Bool {
        kind == .inbound && ExternalIDKind.of(externalId)?.isPublicItem == true
    }
}
