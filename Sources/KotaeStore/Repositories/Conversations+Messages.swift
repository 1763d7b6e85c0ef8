import Foundation
import KotaeCore
import SQLKit

extension Conversations {
    static let messageColumns = """
        id, conversation_id, inbox_id, kind, author_user_id, text, html, external_id, delivery_state,
        delivery_error, attachments, private_reply, liked_at, hidden_reason, author_change, author_changed_at,
        edited_text, sent_at, created_at, time_note, reply_to_id, handled_at, details
        """

    static func message(_ r: any SQLRow) throws -> Message {
        Message(
            id: try r.int("id"), conversationId: try r.int("conversation_id"), inboxId: try r.int("inbox_id"),
            kind: try r.enumValue("kind", MessageKind.self), authorUserId: try r.intOpt("author_user_id"),
            text: try r.string("text"), html: try r.stringOpt("html"), externalId: try r.stringOpt("external_id"),
            deliveryState: try r.enumValue("delivery_state", DeliveryState.self), deliveryError: try r.stringOpt("delivery_error"),
            attachments: try JSON.decode([Attachment].self, try r.string("attachments")),
            privateReply: try r.bool("private_reply"), likedAt: try r.dateOpt("liked_at"),
            hiddenReason: try r.stringOpt("hidden_reason"), authorChange: try r.stringOpt("author_change"),
            authorChangedAt: try r.dateOpt("author_changed_at"), editedText: try r.stringOpt("edited_text"), sentAt: try r.dateOpt("sent_at"),
            createdAt: try r.date("created_at"),
            timeNote: try r.stringOpt("time_note"), replyToId: try r.intOpt("reply_to_id"), handledAt: try r.dateOpt("handled_at"),
            details: try r.stringOpt("details").map { try JSON.decode(MessageDetails.self, $0) } ?? MessageDetails())
    }

    /// Inserts a message and indexes it for search. Nil when `(inbox, externalId)` exists.
    static func insertMessage(
        _ db: any SQLDatabase, conversationId: ID, inboxId: ID, kind: MessageKind,
        author: ID?, text: String, html: String?, externalId: String?, delivery: DeliveryState,
        attachments: [Attachment], privateReply: Bool = false, sentAt: Date?, timeNote: String? = nil,
        replyTo: ID? = nil, details: MessageDetails = MessageDetails(), now: Date
    ) async throws -> Message? {
        // PostgreSQL searches a trigram index on this column; SQLite keeps it empty and
        // fills its FTS5 table instead.
        let searchText = db.kind == .postgres ? SearchText.normalize(text) : ""
        let row = try await db.raw(
            """
            INSERT INTO messages (conversation_id, inbox_id, kind, author_user_id, text, html, external_id,
              delivery_state, attachments, private_reply, sent_at, created_at, search_text, time_note, reply_to_id, details)
            VALUES (\(bind: conversationId), \(bind: inboxId), \(bind: kind.rawValue), \(bind: author), \(bind: text), \(bind: html),
              \(bind: externalId), \(bind: delivery.rawValue), \(bind: attachments.isEmpty ? "[]" : JSON.string(attachments)), \(bind: privateReply ? 1 : 0), \(bind: sentAt.epoch), \(bind: now.epoch),
              \(bind: searchText), \(bind: timeNote), \(bind: replyTo), \(bind: MessageDetailsColumn.json(details)))
            ON CONFLICT (inbox_id, external_id) DO NOTHING
            RETURNING id
            """
        ).first()
        // The messages_after_insert trigger adds the audit event of an inbound message. The
        // message is built from what was written rather than read back: on the writer's path,
        // decoding its JSON again cost time every message waited for. Times are rounded as
        // the columns keep them, so it equals the message read later.
        guard let row else { return nil }
        return Message(
            id: try row.int("id"), conversationId: conversationId, inboxId: inboxId, kind: kind, authorUserId: author,
            text: text, html: html, externalId: externalId, deliveryState: delivery, deliveryError: nil,
            attachments: attachments, privateReply: privateReply, likedAt: nil, hiddenReason: nil, authorChange: nil,
            authorChangedAt: nil, editedText: nil, sentAt: sentAt.map { Date(timeIntervalSince1970: $0.epoch) },
            createdAt: Date(timeIntervalSince1970: now.epoch), timeNote: timeNote, replyToId: replyTo, handledAt: nil, details: details)
    }

    public func messages(conversationId: ID) async throws -> [Message] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE conversation_id = \(bind: conversationId) ORDER BY id")
                .all().map(Self.message)
        }
    }

    /// Whether the customer wrote in the conversation after `date` (one indexed look, not the thread).
    public func customerWrote(conversationId: ID, after date: Date) async throws -> Bool {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'inbound' AND created_at > \(bind: date.epoch)
                LIMIT 1
                """
            ).first() != nil
        }
    }

    public func message(id: ID) async throws -> Message? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE id = \(bind: id)").first().map(Self.message)
        }
    }

    /// Records the outcome of a delivery attempt on an outbound message, with what it means
    /// for the customer in the same transaction: a delivered reply answers them (their clock
    /// stops at the delivery time); a reply that will never arrive leaves them waiting, marks
    /// the conversation 送信失敗, reopens it if it was closed meanwhile, and notifies its
    /// assignee and the reply's author. Returns the conversation when its state changed, and
    /// who was notified.
    @discardableResult
    public func setDelivery(
        messageId: ID, state: DeliveryState, error: String?, externalId: String?,
        at: Date = Date()
    ) async throws -> (changed: Conversation?, notified: [ID]) {
        try await db.write { db in
            try await db.raw(
                """
                UPDATE messages SET delivery_state = \(bind: state.rawValue), delivery_error = \(bind: error),
                external_id = COALESCE(\(bind: externalId), external_id),
                sent_at = CASE WHEN \(bind: state.rawValue) = 'sent' THEN \(bind: at.epoch) ELSE sent_at END
                WHERE id = \(bind: messageId)
                """
            ).run()
            guard
                let row = try await db.raw("SELECT conversation_id, kind, author_user_id, reply_to_id FROM messages WHERE id = \(bind: messageId)")
                    .first()
            else {
                return (nil, [])
            }
            let conv = try row.int("conversation_id")
            try await KotaeStore.appendEvent(
                db, type: "message.\(state.rawValue)", actor: nil, conversation: conv,
                data: ["messageId": String(messageId)].merging(error.map { ["error": $0] } ?? [:]) { a, _ in a })
            guard try row.enumValue("kind", MessageKind.self) == .outbound, state != .queued else { return (nil, []) }
            var (c, inbox) = try await Self.requireConversation(db, conv)
            let original = c
            var notified: [ID] = []
            if state == .sent {
                if let answered = try row.intOpt("reply_to_id") {
                    try await Self.markHandled(db, messageIds: [answered], at: at)
                }
                try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
                try await Self.keepWaitingForUnansweredComments(db, &c, inbox: inbox)
            } else {
                let stillSending =
                    try await db.raw(
                        """
                        SELECT id FROM messages WHERE conversation_id = \(bind: conv) AND kind = 'outbound'
                          AND delivery_state = 'queued' AND id <> \(bind: messageId) LIMIT 1
                        """
                    ).first() != nil
                try c.clock.apply(.replyFailed(at: at, stillSending: stillSending), policy: inbox.slaPolicy)
                // Only people who can still act on it (a disabled assignee must not stop the record).
                var active: [ID] = []
                for user in Set([c.assigneeId, try row.intOpt("author_user_id")].compactMap { $0 })
                where try await db.raw("SELECT id FROM users WHERE id = \(bind: user) AND disabled = 0").first() != nil {
                    active.append(user)
                }
                notified = try await KotaeStore.notify(db, active, kind: .sendFailed, conversation: conv, message: messageId, actor: nil, now: at)
            }
            guard c.clock != original.clock else { return (nil, notified) }
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: at)
            return (c, notified)
        }
    }
}
