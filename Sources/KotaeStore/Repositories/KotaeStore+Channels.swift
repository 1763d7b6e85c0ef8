import Foundation
import KotaeCore
import SQLKit

/// What social channels keep beside messages: reply tokens, profiles, files fetched later.
extension KotaeStore {
    /// Keeps the newest reply token of a conversation (an older one is worth nothing once a newer came).
    func saveReplyToken(_ db: any SQLDatabase, conversationId: ID, token: String, at: Date) async throws {
        try await db.raw(
            """
            INSERT INTO channel_reply_tokens (conversation_id, token, received_at) VALUES (\(bind: conversationId), \(bind: token), \(bind: at.epoch))
            ON CONFLICT (conversation_id) DO UPDATE SET token = excluded.token, received_at = excluded.received_at
            WHERE excluded.received_at >= channel_reply_tokens.received_at
            """
        ).run()
    }

    /// Takes the conversation's reply token if it arrived at or after `notBefore`: a token is
    /// single-use, so it is gone afterwards whether it was fresh or not.
    public func takeReplyToken(conversationId: ID, notBefore: Date) async throws -> String? {
        try await db.write { db in
            guard
                let r = try await db.raw(
                    "DELETE FROM channel_reply_tokens WHERE conversation_id = \(bind: conversationId) RETURNING token, received_at"
                ).first()
            else {
                return nil
            }
            return try r.date("received_at") >= notBefore ? try r.string("token") : nil
        }
    }

    /// The platform's profile for a contact known so far only by an id.
    public func setContactProfile(contactId: ID, name: String?, avatarURL: String?) async throws {
        try await db.write { db in
            if let name, !name.isEmpty {
                try await db.raw("UPDATE contacts SET name = \(bind: name) WHERE id = \(bind: contactId)").run()
            }
            if let avatarURL { try await db.raw("UPDATE contacts SET avatar_url = \(bind: avatarURL) WHERE id = \(bind: contactId)").run() }
        }
    }

    /// The contact's profile picture, once copied into the attachment store.
    public func setContactAvatar(contactId: ID, sha256: String) async throws {
        try await db.write { db in
            try await db.raw("UPDATE contacts SET avatar_sha256 = \(bind: sha256) WHERE id = \(bind: contactId)").run()
        }
    }

    public func contactAvatarURL(contactId: ID) async throws -> String? {
        try await db.read { db in
            try await db.raw("SELECT avatar_url FROM contacts WHERE id = \(bind: contactId)").first()?.stringOpt("avatar_url")
        }
    }

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

    /// The customer read everything the shop sent in a private thread up to `at` (a
    /// redelivered or late receipt never moves it back). Returns the conversation, when
    /// Kotae has one for that thread.
    @discardableResult
    public func recordCustomerRead(inbox: Inbox, threadKey: String, at: Date) async throws -> ID? {
        try await db.write { db in
            let key = try await self.resolvedThreadKey(db, inboxId: inbox.id, threadKey: threadKey)
            guard let r = try await db.raw("SELECT id FROM conversations WHERE inbox_id = \(bind: inbox.id) AND thread_key = \(bind: key)").first()
            else { return nil }
            let id = try r.int("id")
            try await db.raw(
                """
                INSERT INTO read_receipts (conversation_id, read_at) VALUES (\(bind: id), \(bind: at.epoch))
                ON CONFLICT (conversation_id) DO UPDATE SET read_at = CASE WHEN excluded.read_at > read_receipts.read_at
                  THEN excluded.read_at ELSE read_receipts.read_at END
                """
            ).run()
            return id
        }
    }

    /// When the customer last read the shop's private messages in this conversation.
    public func customerReadAt(conversationId: ID) async throws -> Date? {
        try await db.read { db in
            try await db.raw("SELECT read_at FROM read_receipts WHERE conversation_id = \(bind: conversationId)").first()?.date("read_at")
        }
    }

    /// A reply that goes out as several platform messages (a text, then each picture):
    /// the parts already sent, so a retry after a failure sends only the rest.
    public func sentParts(messageId: ID) async throws -> Set<Int> {
        try await db.read { db in
            let prefix = "part:\(messageId):"
            return Set(
                try await db.raw("SELECT key FROM channel_event_keys WHERE key LIKE \(bind: prefix + "%")").all().compactMap {
                    Int(try $0.string("key").dropFirst(prefix.count))
                })
        }
    }

    /// Records one sent part and the platform's id for it: the platform's echo of that
    /// part is then recognised as Kotae's own.
    public func markPartSent(messageId: ID, part: Int, inboxId: ID, externalId: String?) async throws {
        try await db.write { db in
            var keys = ["part:\(messageId):\(part)"]
            if let externalId { keys.append("sent:\(inboxId):\(externalId)") }
            for key in keys { _ = try await OnceKeys.claim(key, in: db) }
        }
    }

    /// A fact about a customer that is not a message (they followed or blocked the shop's
    /// account), recorded once per `key` (the platform's id for the delivery); false for a repeat.
    @discardableResult
    public func recordChannelEvent(type: String, key: String, data: [String: String]) async throws -> Bool {
        try await db.write { db in
            let fresh = try await OnceKeys.claim(type + ":" + key, in: db)
            if fresh { try await Self.appendEvent(db, type: type, actor: nil, conversation: nil, data: data) }
            return fresh
        }
    }

    /// A person followed (or unblocked) or blocked the shop's account at `at`; an older event
    /// arriving late does not undo a newer one.
    public func recordFollow(_ identity: ContactIdentity, followed: Bool, at: Date) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO platform_follows (channel, external_id, followed, at)
                VALUES (\(bind: identity.channel), \(bind: identity.externalId), \(bind: Int64(followed ? 1 : 0)), \(bind: at.epoch))
                ON CONFLICT (channel, external_id) DO UPDATE SET followed = excluded.followed, at = excluded.at
                WHERE excluded.at >= platform_follows.at
                """
            ).run()
        }
    }

    /// When this person blocked the shop's account, if that is their latest word.
    public func blockedSince(_ identity: ContactIdentity) async throws -> Date? {
        try await db.read { db in
            guard
                let r = try await db.raw(
                    """
                    SELECT followed, at FROM platform_follows WHERE channel = \(bind: identity.channel) AND external_id = \(bind: identity.externalId)
                    """
                ).first(), try r.int("followed") == 0
            else { return nil }
            return try r.date("at")
        }
    }

    /// Audit events of one type, newest first (a LINE account's follows and blocks).
    public func events(ofType type: String, limit: Int = 100) async throws -> [AuditEvent] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id, at, actor_user_id, conversation_id, type, data FROM events WHERE type = \(bind: type) ORDER BY id DESC LIMIT \(bind: limit)
                """
            ).all().map {
                AuditEvent(
                    id: try $0.int("id"), at: try $0.date("at"), actorUserId: try $0.intOpt("actor_user_id"),
                    conversationId: try $0.intOpt("conversation_id"), type: try $0.string("type"), data: try $0.string("data"))
            }
        }
    }

    /// After a private reply reached someone's Messenger (`alias`, their PSID's thread), their
    /// answers continue this conversation and their Messenger id joins its contact.
    public func linkThread(inboxId: ID, alias: String, conversationId: ID, identity: ContactIdentity) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO thread_aliases (inbox_id, alias, conversation_id) VALUES (\(bind: inboxId), \(bind: alias), \(bind: conversationId))
                ON CONFLICT (inbox_id, alias) DO NOTHING
                """
            ).run()
            guard let c = try await db.raw("SELECT contact_id FROM conversations WHERE id = \(bind: conversationId)").first() else { return }
            let contact = try c.int("contact_id")
            if let known = try await db.raw(
                """
                SELECT contact_id FROM contact_identities WHERE channel = \(bind: identity.channel) AND external_id = \(bind: identity.externalId)
                """
            ).first().map({ try $0.int("contact_id") }) {
                // The platform itself says the commenter and this Messenger id are one person:
                // one contact, recorded in the audit log and undoable. The older one stays.
                if known != contact, try await self.loadContact(db, id: known)?.mergedInto == nil,
                    try await self.loadContact(db, id: contact)?.mergedInto == nil
                {
                    let (source, target) = (max(known, contact), min(known, contact))
                    _ = try await self.merge(db, source: source, into: target, actor: nil, reason: "private_reply_recipient")
                }
                return
            }
            try await db.raw(
                """
                INSERT INTO contact_identities (contact_id, channel, external_id, created_at)
                VALUES (\(bind: contact), \(bind: identity.channel), \(bind: identity.externalId), \(bind: Date().epoch))
                ON CONFLICT (channel, external_id) DO NOTHING
                """
            ).run()
        }
    }

    /// The private-message thread (of kind `thread`, or an alias of the conversation) of a
    /// conversation, if it has one: the person's id to send to (a Messenger PSID, an IGSID).
    public func directRecipient(conversationId: ID, thread: ThreadKind) async throws -> String? {
        let prefix = thread.rawValue
        return try await db.read { db in
            if let r = try await db.raw("SELECT thread_key FROM conversations WHERE id = \(bind: conversationId)").first(),
                case let key = try r.string("thread_key"), key.hasPrefix(prefix)
            {
                return String(key.dropFirst(prefix.count))
            }
            return try await db.raw(
                """
                SELECT alias FROM thread_aliases WHERE conversation_id = \(bind: conversationId)
                AND alias LIKE \(bind: Self.escapeLike(prefix) + "%") ESCAPE '\\' ORDER BY alias LIMIT 1
                """
            ).first().map { String(try $0.string("alias").dropFirst(prefix.count)) }
        }
    }

    /// The newest customer message of a conversation whose platform id is of `kind` (a
    /// Messenger message, a comment).
    public func latestInbound(conversationId: ID, kind: ExternalIDKind) async throws -> Message? {
        try await db.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'inbound'
                AND external_id LIKE \(bind: Self.escapeLike(kind.rawValue) + "%") ESCAPE '\\' ORDER BY id DESC LIMIT 1
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
            let contactId = try await self.findOrCreateContact(
                db, identity: (identity.channel, identity.externalId),
                name: nil, email: nil, phone: nil, at: at)
            let (found, _) = try await self.conversation(
                db, inbox: inbox, contactId: contactId, threadKey: threadKey,
                isPublic: isPublic, at: at, now: now)
            if automated {
                // Kotae's own reply in flight is claimed first; anything else a bot sent is
                // shown, and the customer goes on waiting for a person.
                if try await self.claimInFlight(db, conversationId: found.id, text: text, externalId: externalId, at: at) {
                    var c = found
                    try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
                    try await Self.saveConversation(db, c, original: found, now: now)
                    return false
                }
                _ = try await self.insertMessage(
                    db, conversationId: found.id, inboxId: inbox.id, kind: .automated, author: nil,
                    text: text, html: nil, externalId: externalId, delivery: .sent, attachments: [],
                    sentAt: at, now: now)
                try await Self.appendEvent(db, type: "message.automated", actor: nil, conversation: found.id, data: ["externalId": externalId])
                return true
            }
            return try await self.storeSentElsewhere(db, found, inbox: inbox, text: text, externalId: externalId, at: at, now: now)
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
            let stored = try await self.storeSentElsewhere(
                db, c, inbox: inbox, text: text, externalId: externalId, at: min(at, now),
                answers: answered, now: now)
            return stored ? c.id : nil
        }
    }

    /// A reply the business sent outside Kotae, as a sent message that answers the customer
    /// (their clock stops). False when it is a reply Kotae itself is still sending.
    /// `answers`: the customer's comment it answers, when the platform says.
    func storeSentElsewhere(
        _ db: any SQLDatabase, _ conversation: Conversation, inbox: Inbox, text: String,
        externalId: String, at: Date, answers: ID? = nil, now: Date
    ) async throws -> Bool {
        var c = conversation
        let claimed = try await claimInFlight(db, conversationId: conversation.id, text: text, externalId: externalId, at: at)
        if !claimed {
            _ = try await insertMessage(
                db, conversationId: c.id, inboxId: inbox.id, kind: .outbound, author: nil, text: text,
                html: nil, externalId: externalId, delivery: .sent, attachments: [], sentAt: at,
                replyTo: answers, now: now)
            c.lastMessageAt = max(c.lastMessageAt, at)
            c.snippet = Self.snippet(text)
        }
        if let answers { try await markHandled(db, messageIds: [answers], at: at) }
        if claimed,
            let own = try await db.raw("SELECT reply_to_id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)")
                .first()?.intOpt("reply_to_id")
        {
            try await markHandled(db, messageIds: [own], at: at)
        }
        // Either way the platform says the answer reached the customer.
        try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
        try await keepWaitingForUnansweredComments(db, &c, inbox: inbox)
        try await Self.saveConversation(db, c, original: conversation, now: now)
        return !claimed
    }

    /// A platform's echo of a reply Kotae is still sending (the echo can overtake the send's
    /// own answer): the echo is that reply, now known sent, not a second message. Marking it
    /// sent also stops a retry from sending it twice.
    func claimInFlight(_ db: any SQLDatabase, conversationId: ID, text: String, externalId: String, at: Date) async throws -> Bool {
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
            try await Self.appendEvent(db, type: type, actor: nil, conversation: try m?.int("conversation_id"), data: data)
            guard let m else { return nil }
            return (try m.int("id"), try m.int("conversation_id"))
        }
    }

    /// Records that the page liked a comment, with who did it.
    public func markLiked(messageId: ID, actor: ID, at: Date = Date()) async throws {
        try await db.write { db in
            guard let m = try await db.raw("SELECT conversation_id FROM messages WHERE id = \(bind: messageId)").first() else {
                throw StoreError.notFound("message")
            }
            try await db.raw("UPDATE messages SET liked_at = \(bind: at.epoch) WHERE id = \(bind: messageId)").run()
            try await Self.appendEvent(
                db, type: "comment.liked", actor: actor, conversation: try m.int("conversation_id"),
                data: ["messageId": String(messageId)])
        }
    }

    /// Records that the page hid a comment from the public, why and by whom (audited).
    public func markHidden(messageId: ID, reason: String, actor: ID) async throws {
        try await db.write { db in
            guard let m = try await db.raw("SELECT conversation_id FROM messages WHERE id = \(bind: messageId)").first() else {
                throw StoreError.notFound("message")
            }
            try await db.raw("UPDATE messages SET hidden_reason = \(bind: reason) WHERE id = \(bind: messageId)").run()
            try await Self.appendEvent(
                db, type: "comment.hidden", actor: actor, conversation: try m.int("conversation_id"),
                data: ["messageId": String(messageId), "reason": reason])
        }
    }
}
