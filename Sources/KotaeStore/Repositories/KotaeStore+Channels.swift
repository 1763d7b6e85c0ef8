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
}
