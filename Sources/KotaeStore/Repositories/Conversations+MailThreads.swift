import Foundation
import KotaeCore
import SQLKit

/// What email threading asks of the store: which conversation holds a Message-ID, and which
/// open conversations a sender has.
extension Conversations {
    /// A thread an email may continue.
    public struct MailThread: Sendable, Equatable {
        public var conversationId: ID
        public var threadKey: String
        public var contactId: ID
        public var status: ConversationStatus
        /// The subject of the thread's first e-mail, when it has one.
        public var subject: String?
    }

    /// The conversation in `inboxId` holding any of `externalIds` (the newest message wins).
    public func mailThread(holdingAny externalIds: [String], inboxId: ID) async throws -> MailThread? {
        guard !externalIds.isEmpty else { return nil }
        return try await db.read { db in
            let ids = SQLList(externalIds.map { SQLBind($0) })
            guard
                let r = try await db.raw(
                    """
                    SELECT m.conversation_id FROM messages m
                    WHERE m.inbox_id = \(bind: inboxId) AND m.external_id IN (\(ids)) ORDER BY m.id DESC LIMIT 1
                    """
                ).first()
            else { return nil }
            return try await Self.mailThread(db, conversationId: try r.int("conversation_id"), inboxId: inboxId)
        }
    }

    /// Conversation `id` as a mail thread, when it is in `inboxId`.
    public func mailThread(conversationId: ID, inboxId: ID) async throws -> MailThread? {
        try await db.read { db in try await Self.mailThread(db, conversationId: conversationId, inboxId: inboxId) }
    }

    /// The not-resolved conversations in `inboxId` of the contact known by `identity`, newest first.
    public func openMailThreads(identity: (channel: String, externalId: String), inboxId: ID) async throws -> [MailThread] {
        try await db.read { db in
            let rows = try await db.raw(
                """
                SELECT c.id FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id
                WHERE ci.channel = \(bind: identity.channel) AND ci.external_id = \(bind: identity.externalId)
                AND c.inbox_id = \(bind: inboxId) AND c.status <> 'resolved' ORDER BY c.last_message_at DESC LIMIT 20
                """
            ).all()
            var threads: [MailThread] = []
            for r in rows {
                if let t = try await Self.mailThread(db, conversationId: try r.int("id"), inboxId: inboxId) { threads.append(t) }
            }
            return threads
        }
    }

    static func mailThread(_ db: any SQLDatabase, conversationId: ID, inboxId: ID) async throws -> MailThread? {
        guard
            let c = try await db.raw(
                "SELECT id, thread_key, contact_id, status FROM conversations WHERE id = \(bind: conversationId) AND inbox_id = \(bind: inboxId)"
            ).first()
        else { return nil }
        let first = try await db.raw(
            "SELECT details FROM messages WHERE conversation_id = \(bind: conversationId) AND details IS NOT NULL ORDER BY id LIMIT 1"
        ).first()
        let subject = try first?.stringOpt("details").flatMap { try? JSON.decode(MessageDetails.self, $0) }?.email?.subject
        return MailThread(
            conversationId: try c.int("id"), threadKey: try c.string("thread_key"), contactId: try c.int("contact_id"),
            status: try c.enumValue("status", ConversationStatus.self), subject: subject)
    }
}
