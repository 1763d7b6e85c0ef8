import Foundation
import KotaeCore
import SQLKit

/// What social channels keep beside messages: reply tokens, profiles, files fetched later.
extension Conversations {

    /// Adds files fetched after the message was stored (a LINE image's bytes).
    public func addAttachments(messageId: ID, _ files: [Attachment]) async throws {
        try await db.write { db in
            guard let r = try await db.raw("SELECT attachments FROM messages WHERE id = \(bind: messageId)").first() else {
                throw StoreError.notFound("message")
            }
            var all = try JSON.decode([Attachment].self, try r.string("attachments"))
            for f in files where !all.contains(f) { all.append(f) }
            try await db.raw("UPDATE messages SET attachments = \(bind: JSON.string(all)) WHERE id = \(bind: messageId)").run()
        }
    }

    /// The newest customer message of a conversation whose platform id is of `kind` (a
    /// Messenger message, a comment).
    public func latestInbound(conversationId: ID, kind: ExternalIDKind) async throws -> Message? {
        try await db.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'inbound'
                AND external_id LIKE \(bind: KotaeStore.escapeLike(kind.rawValue) + "%") ESCAPE '\\' ORDER BY id DESC LIMIT 1
                """
            ).first().map(Self.message)
        }
    }

    /// A message the business sent from another tool (the Page inbox on a phone): stored
    /// once, as a sent reply. When the business wrote first, it opens the conversation —
    /// the customer's answer then lands in a thread that shows what they were told.
    /// Returns whether a new message was stored.
    @discardableResult
    public func recordEcho(
        inbox: Inbox, identity: ContactIdentity, threadKey: String, externalId: String,
        text: String, isPublic: Bool = false, automated: Bool = false, at: Date, now: Date = Date()
    ) async throws -> Bool {
        try await db.write { db in
            if try await db.raw("SELECT id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)").first() != nil {
                return false  // Kotae's own reply, or a repeat: already here
            }
            if try await db.raw("SELECT key FROM channel_event_keys WHERE key = \(bind: "sent:\(inbox.id):\(externalId)")").first() != nil {
                return false  // a picture Kotae sent after a reply's text
            }
            let at = min(at, now)
            let contactId = try await Contacts.findOrCreateContact(
                db, identity: (identity.channel, identity.externalId),
                name: nil, email: nil, phone: nil, at: at)
            let (found, _, _) = try await Self.conversation(
                db, inbox: inbox, contactId: contactId, threadKey: threadKey,
                isPublic: isPublic, at: at, now: now)
            if automated {
                // Kotae's own reply in flight is claimed first; anything else a bot sent is
                // shown, and the customer goes on waiting for a person.
                if try await Self.claimInFlight(db, conversationId: found.id, text: text, externalId: externalId, at: at) {
                    var c = found
                    try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
                    try await Self.saveConversation(db, c, original: found, inbox: inbox, now: now)
                    return false
                }
                _ = try await Self.insertMessage(
                    db, conversationId: found.id, inboxId: inbox.id, kind: .automated, author: nil,
                    text: text, html: nil, externalId: externalId, delivery: .sent, attachments: [],
                    sentAt: at, now: now)
                try await KotaeStore.appendEvent(db, type: "message.automated", actor: nil, conversation: found.id, data: ["externalId": externalId])
                return true
            }
            return try await Self.storeSentElsewhere(db, found, inbox: inbox, text: text, externalId: externalId, at: at, now: now)
        }
    }

    /// The business answered a customer's comment from another tool: stored once, as a sent
    /// public reply in the conversation of the comment (`parentExternalId`) it answers.
    /// Returns the conversation, or nil when Kotae does not have that comment or already has
    /// this answer.
    @discardableResult
    public func recordReplyEcho(
        inbox: Inbox, parentExternalId: String, externalId: String, text: String,
        at: Date, now: Date = Date()
    ) async throws -> ID? {
        try await db.write { db in
            if try await db.raw("SELECT id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)").first() != nil {
                return nil
            }
            guard
                let parent = try await db.raw(
                    """
                    SELECT id, conversation_id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: parentExternalId) AND kind = 'inbound'
                    """
                ).first(), let c = try await Self.loadConversation(db, id: try parent.int("conversation_id"))
            else { return nil }
            let answered = try parent.int("id")
            let stored = try await Self.storeSentElsewhere(
                db, c, inbox: inbox, text: text, externalId: externalId, at: min(at, now),
                answers: answered, now: now)
            return stored ? c.id : nil
        }
    }

    /// A reply the business sent outside Kotae, as a sent message that answers the customer
    /// (their clock stops). False when it is a reply Kotae itself is still sending.
    /// `answers`: the customer's comment it answers, when the platform says.
    static func storeSentElsewhere(
        _ db: any SQLDatabase, _ conversation: Conversation, inbox: Inbox, text: String,
        externalId: String, at: Date, answers: ID? = nil, now: Date
    ) async throws -> Bool {
        var c = conversation
        let claimed = try await Self.claimInFlight(db, conversationId: conversation.id, text: text, externalId: externalId, at: at)
        if !claimed {
            _ = try await Self.insertMessage(
                db, conversationId: c.id, inboxId: inbox.id, kind: .outbound, author: nil, text: text,
                html: nil, externalId: externalId, delivery: .sent, attachments: [], sentAt: at,
                replyTo: answers, now: now)
            c.lastMessageAt = max(c.lastMessageAt, at)
            c.snippet = Self.snippet(text)
        }
        if let answers { try await Self.markHandled(db, messageIds: [answers], at: at) }
        if claimed,
            let own = try await db.raw("SELECT reply_to_id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)")
                .first()?.intOpt("reply_to_id")
        {
            try await Self.markHandled(db, messageIds: [own], at: at)
        }
        // Either way the platform says the answer reached the customer.
        try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
        try await Self.keepWaitingForUnansweredComments(db, &c, inbox: inbox)
        try await Self.saveConversation(db, c, original: conversation, inbox: inbox, now: now)
        return !claimed
    }

    /// A platform's echo of a reply Kotae is still sending (the echo can overtake the send's
    /// own answer): the echo is that reply, now known sent, not a second message. Marking it
    /// sent also stops a retry from sending it twice.
    static func claimInFlight(_ db: any SQLDatabase, conversationId: ID, text: String, externalId: String, at: Date) async throws -> Bool {
        guard
            let r = try await db.raw(
                """
                SELECT id FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'outbound'
                  AND delivery_state = 'queued' AND external_id IS NULL AND text = \(bind: text) ORDER BY id DESC LIMIT 1
                """
            ).first()
        else { return false }
        try await db.raw(
            """
            UPDATE messages SET external_id = \(bind: externalId), delivery_state = 'sent', delivery_error = NULL,
              sent_at = \(bind: at.epoch) WHERE id = \(bind: try r.int("id"))
            """
        ).run()
        return true
    }

    /// A message its author edited, removed or unsent, or a comment the page hid elsewhere:
    /// recorded on the message and its conversation's history. The text the customer first
    /// wrote stays — Kotae never erases what a customer said.
    /// Returns the changed message and its conversation, when Kotae has that message.
    @discardableResult
    public func recordAuthorChange(
        inbox: Inbox, externalId: String, verb: String, text: String?,
        at: Date
    ) async throws -> (messageId: ID, conversationId: ID)? {
        try await db.write { db in
            let m = try await db.raw(
                "SELECT id, conversation_id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)"
            ).first()
            var data = ["verb": verb, "externalId": externalId]
            if let text { data["text"] = text }
            if let m {
                let id = try m.int("id")
                data["messageId"] = String(id)
                // Hidden or shown again by the page from another tool: Kotae shows what the public sees.
                if verb == "hide" {
                    try await db.raw("UPDATE messages SET hidden_reason = COALESCE(hidden_reason, 'platform') WHERE id = \(bind: id)").run()
                } else if verb == "unhide" {
                    try await db.raw("UPDATE messages SET hidden_reason = NULL WHERE id = \(bind: id)").run()
                }
                if ["edited", "remove", "unsent"].contains(verb) {
                    try await db.raw(
                        """
                        UPDATE messages SET author_change = \(bind: verb), author_changed_at = \(bind: at.epoch),
                          edited_text = \(bind: verb == "edited" ? text : nil) WHERE id = \(bind: id)
                        """
                    ).run()
                }
            }
            let type = verb == "unsent" ? "message.unsent" : "comment." + verb
            try await KotaeStore.appendEvent(db, type: type, actor: nil, conversation: try m?.int("conversation_id"), data: data)
            guard let m else { return nil }
            return (try m.int("id"), try m.int("conversation_id"))
        }
    }

    /// Records that the page liked a comment, with who did it.
    public func markLiked(messageId: ID, actor: ID, at: Date = Date()) async throws {
        try await moderate(messageId, set: "liked_at", to: at.epoch, event: "comment.liked", actor: actor, data: [:])
    }

    /// Records that the page hid a comment from the public, why and by whom (audited).
    public func markHidden(messageId: ID, reason: String, actor: ID) async throws {
        try await moderate(messageId, set: "hidden_reason", to: reason, event: "comment.hidden", actor: actor, data: ["reason": reason])
    }

    /// One moderation on a comment: its column set and the audit event, in one transaction.
    private func moderate(
        _ messageId: ID, set column: String, to value: some Encodable & Sendable, event: String, actor: ID, data: [String: String]
    ) async throws {
        try await db.write { db in
            guard let m = try await db.raw("SELECT conversation_id FROM messages WHERE id = \(bind: messageId)").first() else {
                throw StoreError.notFound("message")
            }
            try await db.raw("UPDATE messages SET \(unsafeRaw: column) = \(bind: value) WHERE id = \(bind: messageId)").run()
            try await KotaeStore.appendEvent(
                db, type: event, actor: actor, conversation: try m.int("conversation_id"),
                data: data.merging(["messageId": String(messageId)]) { a, _ in a })
        }
    }
}
