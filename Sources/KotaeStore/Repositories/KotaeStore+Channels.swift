import Foundation
import KotaeCore
import SQLKit

/// What social channels keep beside messages: reply tokens, profiles, files fetched later.
extension KotaeStore {
    /// Keeps the newest reply token of a conversation (an older one is worth nothing once a newer came).
    public func saveReplyToken(conversationId: ID, token: String, at: Date) async throws {
        try await db.write { db in
            try await db.raw("""
                INSERT INTO channel_reply_tokens (conversation_id, token, received_at) VALUES (\(bind: conversationId), \(bind: token), \(bind: at.epoch))
                ON CONFLICT (conversation_id) DO UPDATE SET token = excluded.token, received_at = excluded.received_at
                WHERE excluded.received_at >= channel_reply_tokens.received_at
                """).run()
        }
    }

    /// Takes the conversation's reply token if it arrived at or after `notBefore`: a token is
    /// single-use, so it is gone afterwards whether it was fresh or not.
    public func takeReplyToken(conversationId: ID, notBefore: Date) async throws -> String? {
        try await db.write { db in
            guard let r = try await db.raw("DELETE FROM channel_reply_tokens WHERE conversation_id = \(bind: conversationId) RETURNING token, received_at").first() else {
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

    /// True the first time `key` is claimed, false ever after: work done once per thing
    /// (fetching a new contact's profile) however many messages ask for it.
    public func claimOnce(_ key: String) async throws -> Bool {
        try await db.write { db in
            try await db.raw("""
                INSERT INTO channel_event_keys (key, created_at) VALUES (\(bind: key), \(bind: Date().epoch))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """).first() != nil
        }
    }

    /// A fact about a customer that is not a message (they followed or blocked the shop's
    /// account), recorded once per `key` (the platform's id for the delivery); false for a repeat.
    @discardableResult
    public func recordChannelEvent(type: String, key: String, data: [String: String]) async throws -> Bool {
        try await db.write { db in
            let fresh = try await db.raw("""
                INSERT INTO channel_event_keys (key, created_at) VALUES (\(bind: type + ":" + key), \(bind: Date().epoch))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """).first() != nil
            if fresh { try await self.appendEvent(db, type: type, actor: nil, conversation: nil, data: data) }
            return fresh
        }
    }

    /// Audit events of one type, newest first (a LINE account's follows and blocks).
    public func events(ofType type: String, limit: Int = 100) async throws -> [AuditEvent] {
        try await db.read { db in
            try await db.raw("""
                SELECT id, at, actor_user_id, conversation_id, type, data FROM events WHERE type = \(bind: type) ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map {
                AuditEvent(id: try $0.int("id"), at: try $0.date("at"), actorUserId: try $0.intOpt("actor_user_id"),
                           conversationId: try $0.intOpt("conversation_id"), type: try $0.string("type"), data: try $0.string("data"))
            }
        }
    }

    /// After a private reply reached someone's Messenger (`alias`, their PSID's thread), their
    /// answers continue this conversation and their Messenger id joins its contact.
    public func linkThread(inboxId: ID, alias: String, conversationId: ID, identity: ContactIdentity) async throws {
        try await db.write { db in
            try await db.raw("""
                INSERT INTO thread_aliases (inbox_id, alias, conversation_id) VALUES (\(bind: inboxId), \(bind: alias), \(bind: conversationId))
                ON CONFLICT (inbox_id, alias) DO NOTHING
                """).run()
            guard let c = try await db.raw("SELECT contact_id FROM conversations WHERE id = \(bind: conversationId)").first() else { return }
            // If that id already belongs to another contact, an agent merges them by hand.
            try await db.raw("""
                INSERT INTO contact_identities (contact_id, channel, external_id, created_at)
                VALUES (\(bind: try c.int("contact_id")), \(bind: identity.channel), \(bind: identity.externalId), \(bind: Date().epoch))
                ON CONFLICT (channel, external_id) DO NOTHING
                """).run()
        }
    }

    /// The private-message thread (`<threadPrefix>:<id>`, or an alias of the conversation) of a
    /// conversation, if it has one: the person's id to send to (a Messenger PSID, an IGSID).
    public func directRecipient(conversationId: ID, threadPrefix: String) async throws -> String? {
        let prefix = threadPrefix + ":"
        return try await db.read { db in
            if let r = try await db.raw("SELECT thread_key FROM conversations WHERE id = \(bind: conversationId)").first(),
               case let key = try r.string("thread_key"), key.hasPrefix(prefix) {
                return String(key.dropFirst(prefix.count))
            }
            return try await db.raw("""
                SELECT alias FROM thread_aliases WHERE conversation_id = \(bind: conversationId)
                AND alias LIKE \(bind: Self.escapeLike(prefix) + "%") ESCAPE '\\' ORDER BY alias LIMIT 1
                """).first().map { String(try $0.string("alias").dropFirst(prefix.count)) }
        }
    }

    /// The newest customer message of a conversation whose platform id starts with `prefix`
    /// (`fb:m:` a Messenger message, `fb:c:` a comment).
    public func latestInbound(conversationId: ID, externalIdPrefix: String) async throws -> Message? {
        try await db.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'inbound'
                AND external_id LIKE \(bind: Self.escapeLike(externalIdPrefix) + "%") ESCAPE '\\' ORDER BY id DESC LIMIT 1
                """).first().map(Self.message)
        }
    }

    /// A message the page sent from elsewhere (its echo): stored once, as sent, in the
    /// customer's conversation. False when there is no conversation with them yet.
    @discardableResult
    public func recordEcho(inbox: Inbox, threadKey: String, externalId: String, text: String, at: Date) async throws -> Bool {
        try await db.write { db in
            if try await db.raw("SELECT id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)").first() != nil {
                return true  // Kotae's own reply, or a repeat: already here
            }
            var key = threadKey
            if let aliased = try await db.raw("""
                SELECT c.thread_key FROM thread_aliases a JOIN conversations c ON c.id = a.conversation_id
                WHERE a.inbox_id = \(bind: inbox.id) AND a.alias = \(bind: threadKey)
                """).first() { key = try aliased.string("thread_key") }
            guard let r = try await db.raw("SELECT id FROM conversations WHERE inbox_id = \(bind: inbox.id) AND thread_key = \(bind: key)").first(),
                  var c = try await self.loadConversation(db, id: try r.int("id")) else { return false }
            let original = c
            _ = try await self.insertMessage(db, conversationId: c.id, inboxId: inbox.id, kind: .outbound, author: nil, text: text,
                                             html: nil, externalId: externalId, delivery: .sent, attachments: [], sentAt: at, now: Date())
            try c.clock.apply(.reply(at: at), policy: inbox.slaPolicy)
            c.lastMessageAt = max(c.lastMessageAt, at)
            c.snippet = Self.snippet(text)
            try await self.saveConversation(db, c, original: original, now: Date())
            return true
        }
    }

    /// A comment its author edited, removed or that the page hid: recorded on its
    /// conversation, the stored text kept (Kotae never erases what a customer said).
    public func recordCommentChange(inbox: Inbox, externalId: String, verb: String, text: String?) async throws {
        try await db.write { db in
            let m = try await db.raw("SELECT id, conversation_id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: externalId)").first()
            var data = ["verb": verb, "externalId": externalId]
            if let text { data["text"] = text }
            if let m { data["messageId"] = String(try m.int("id")) }
            try await self.appendEvent(db, type: "comment." + verb, actor: nil, conversation: try m?.int("conversation_id"), data: data)
        }
    }

    /// Records that the page liked a comment, with who did it.
    public func markLiked(messageId: ID, actor: ID, at: Date = Date()) async throws {
        try await db.write { db in
            guard let m = try await db.raw("SELECT conversation_id FROM messages WHERE id = \(bind: messageId)").first() else { throw StoreError.notFound("message") }
            try await db.raw("UPDATE messages SET liked_at = \(bind: at.epoch) WHERE id = \(bind: messageId)").run()
            try await self.appendEvent(db, type: "comment.liked", actor: actor, conversation: try m.int("conversation_id"),
                                       data: ["messageId": String(messageId)])
        }
    }

    /// Records that the page hid a comment from the public, why and by whom (audited).
    public func markHidden(messageId: ID, reason: String, actor: ID) async throws {
        try await db.write { db in
            guard let m = try await db.raw("SELECT conversation_id FROM messages WHERE id = \(bind: messageId)").first() else { throw StoreError.notFound("message") }
            try await db.raw("UPDATE messages SET hidden_reason = \(bind: reason) WHERE id = \(bind: messageId)").run()
            try await self.appendEvent(db, type: "comment.hidden", actor: actor, conversation: try m.int("conversation_id"),
                                       data: ["messageId": String(messageId), "reason": reason])
        }
    }
}
