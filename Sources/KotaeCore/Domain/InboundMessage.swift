import Foundation

/// A file sent with a message, stored once under its SHA-256.
public struct Attachment: Codable, Sendable, Equatable {
    public var sha256: String
    public var filename: String
    public var contentType: String
    public var size: Int
    /// An email part's Content-ID, for an HTML body that shows it inline (`<img src="cid:…">`).
    public var contentId: String?

    public init(sha256: String, filename: String, contentType: String, size: Int, contentId: String? = nil) {
        self.sha256 = sha256
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.contentId = contentId
    }
}

/// A customer's message as every channel hands it to the core: whoever wrote it on
/// whichever platform, the platform's id for it (for deduplication), and the thread it
/// belongs to. Each channel turns its own payloads into this.
public struct InboundMessage: Sendable, Equatable {
    /// Who wrote it, as the platform knows them (email address, PSID, LINE user id, …).
    public var identity: (channel: String, externalId: String)
    public var contactName: String?
    public var contactEmail: String?
    public var contactPhone: String?
    /// The platform's id for this message; the same id twice is one message.
    public var externalId: String
    /// The platform's thread (email thread, comment thread); nil = one thread per customer.
    public var threadKey: String?
    public var text: String
    /// Sanitized HTML (email); never rendered unsanitized.
    public var html: String?
    public var attachments: [Attachment]
    /// A public comment or post rather than a private message.
    public var isPublic: Bool
    /// Whether it waits for an answer ("thanks!" on a closed thread may not).
    public var needsReply: Bool
    public var sentAt: Date
    /// Set when the platform's time was impossible and `sentAt` is the receive time.
    public var timeNote: String?
    /// The post it belongs to, an e-mail's headers.
    public var details = MessageDetails()

    public init(
        identity: (channel: String, externalId: String), contactName: String? = nil, contactEmail: String? = nil,
        contactPhone: String? = nil, externalId: String, threadKey: String? = nil, text: String,
        html: String? = nil, attachments: [Attachment] = [], isPublic: Bool = false,
        needsReply: Bool = true, sentAt: Date, timeNote: String? = nil
    ) {
        self.identity = identity
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.contactPhone = contactPhone
        self.externalId = externalId
        self.threadKey = threadKey
        self.text = text
        self.html = html
        self.attachments = attachments
        self.isPublic = isPublic
        self.needsReply = needsReply
        self.sentAt = sentAt
        self.timeNote = timeNote
    }

    /// The same message with its time range-checked: an impossible one becomes `now`, noted.
    public func withPlausibleTime(receivedAt now: Date = Date()) -> InboundMessage {
        guard timeNote == nil else { return self }
        var m = self
        (m.sentAt, m.timeNote) = PlatformTime.checked(sentAt, receivedAt: now)
        return m
    }

    public static func == (a: InboundMessage, b: InboundMessage) -> Bool {
        a.identity == b.identity && a.externalId == b.externalId && a.text == b.text && a.sentAt == b.sentAt
            && a.threadKey == b.threadKey && a.attachments == b.attachments && a.isPublic == b.isPublic
    }
}
