import Foundation
import KotaeCore
import SQLKit

/// What channels keep beside the conversations: reply tokens (LINE), customers' read
/// receipts, the parts of a reply already sent, follows and blocks, thread links opened by a
/// private reply, and platform events recorded once.
public struct ChannelState: Sendable {
    let db: KotaeDatabase

    /// Keeps the newest reply token of a conversation (an older one is worth nothing once a newer came).
    static func saveReplyToken(_ db: any SQLDatabase, conversationId: ID, token: String, at: Date) async throws {
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

    /// The customer read everything the shop sent in a private thread up to `at` (a
    /// redelivered or late receipt never moves it back). Returns the conversation, when
    /// Kotae has one for that thread.
    @discardableResult
    public func recordCustomerRead(inbox: Inbox, threadKey: String, at: Date) async throws -> ID? {
        try await db.write { db in
            let key = try await Conversations.resolvedThreadKey(db, inboxId: inbox.id, threadKey: threadKey)
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
            if fresh { try await KotaeStore.appendEvent(db, type: type, actor: nil, conversation: nil, data: data) }
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

    /// Marks `address` (lower case) as not existing with the server's words, or clears it.
    static func setUndeliverable(_ db: any SQLDatabase, address: String, reason: String?, at: Date) async throws {
        if let reason {
            try await db.raw(
                """
                INSERT INTO undeliverable_addresses (address, reason, at) VALUES (\(bind: address.lowercased()), \(bind: reason), \(bind: at.epoch))
                ON CONFLICT (address) DO UPDATE SET reason = excluded.reason, at = excluded.at
                """
            ).run()
        } else {
            try await db.raw("DELETE FROM undeliverable_addresses WHERE address = \(bind: address.lowercased())").run()
        }
    }

    /// Records what a mail server said when it refused `address` for good (a 5.1.x at RCPT).
    public func markUndeliverable(_ address: String, reason: String, at: Date) async throws {
        try await db.write { db in try await Self.setUndeliverable(db, address: address, reason: reason, at: at) }
    }

    /// Why mail to `address` cannot arrive, and since when, if it was found not to exist.
    public func undeliverable(_ address: String) async throws -> (reason: String, since: Date)? {
        try await db.read { db in
            guard
                let r = try await db.raw("SELECT reason, at FROM undeliverable_addresses WHERE address = \(bind: address.lowercased())").first()
            else { return nil }
            return (try r.string("reason"), try r.date("at"))
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
                if known != contact, try await Contacts.loadContact(db, id: known)?.mergedInto == nil,
                    try await Contacts.loadContact(db, id: contact)?.mergedInto == nil
                {
                    let (source, target) = (max(known, contact), min(known, contact))
                    _ = try await Contacts.merge(db, source: source, into: target, actor: nil, reason: "private_reply_recipient")
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
                AND alias LIKE \(bind: KotaeStore.escapeLike(prefix) + "%") ESCAPE '\\' ORDER BY alias LIMIT 1
                """
            ).first().map { String(try $0.string("alias").dropFirst(prefix.count)) }
        }
    }
}
