import Foundation

/// What a channel knows about a message beyond its text, shown with it in the timeline.
public struct MessageDetails: Codable, Sendable, Equatable {
    /// The post a public comment belongs to (or the public post itself), on the platform.
    public var postURL: String?
    /// An e-mail's envelope as its reader sees it.
    public var email: EmailHeaders?
    /// Sent by Kotae's own autoresponder (counted against its per-conversation limits).
    public var autoReply: Bool?
    /// Sent by the FAQ bot: the article it answered with, or `suggest` when it offered several.
    public var bot: String?
    /// Sent by Kotae itself after a fix or a resolution: `followUp` or `survey`.
    public var kotae: String?
    /// A customer's message as triage read it when it arrived.
    public var triage: TriageResult?
    /// A reply sent although the reply checker warned: what it warned of, for whoever reviews it.
    public var replyWarnings: [ReplyIssue.Kind]?
    /// A reply that waited for approval: who decided, what they said, and the words its author
    /// wrote when the supervisor changed them.
    public var approval: ApprovalNote?

    public init(postURL: String? = nil, email: EmailHeaders? = nil, autoReply: Bool? = nil, kotae: String? = nil) {
        self.postURL = postURL
        self.email = email
        self.autoReply = autoReply
        self.kotae = kotae
    }

    /// A customer's message's details: its triage alone.
    public init(triage: TriageResult) {
        self.triage = triage
    }

    public var isEmpty: Bool {
        postURL == nil && email == nil && autoReply == nil && bot == nil && kotae == nil && triage == nil && replyWarnings == nil && approval == nil
    }
}

/// The headers an agent reads on an e-mail: subject and who it went between, and what the
/// desk keeps to thread and to answer it.
public struct EmailHeaders: Codable, Sendable, Equatable {
    public var subject: String
    public var from: String
    public var to: [String]
    public var cc: [String]
    /// The mail's Message-ID (without angle brackets).
    public var messageId: String?
    /// The thread it answers: References, then In-Reply-To.
    public var references: [String]?
    /// What could not be read exactly (a charset, a broken part): shown beside the message.
    public var warnings: [String]?
    /// Written by a program (auto-reply, out-of-office, list, bounce): never answered
    /// automatically and not counted as a waiting customer.
    public var automated: String?
    /// Where the mail's own text ends and the quoted history or signature begins (in
    /// characters of the message text); the timeline folds what follows.
    public var foldAt: Int?

    public init(
        subject: String, from: String, to: [String], cc: [String] = [], messageId: String? = nil, references: [String]? = nil,
        warnings: [String]? = nil, automated: String? = nil, foldAt: Int? = nil
    ) {
        self.subject = subject
        self.from = from
        self.to = to
        self.cc = cc
        self.messageId = messageId
        self.references = references
        self.warnings = warnings
        self.automated = automated
        self.foldAt = foldAt
    }
}

/// A supervisor's decision on a reply held for approval.
public struct ApprovalNote: Codable, Sendable, Equatable {
    public var by: ID
    public var comment: String?
    /// The author's own words, when the supervisor edited them before sending.
    public var originalText: String?

    public init(by: ID, comment: String? = nil, originalText: String? = nil) {
        self.by = by
        self.comment = comment
        self.originalText = originalText
    }
}
