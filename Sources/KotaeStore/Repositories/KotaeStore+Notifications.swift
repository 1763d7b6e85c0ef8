import Foundation
import KotaeCore
import SQLKit

extension KotaeStore {
    static let notificationColumns = "n.id, n.user_id, n.kind, n.conversation_id, n.message_id, n.actor_user_id, n.created_at, n.read_at"

    static func notification(_ r: any SQLRow) throws -> AgentNotification {
        AgentNotification(
            id: try r.int("id"), userId: try r.int("user_id"), kind: try r.enumValue("kind", AgentNotification.Kind.self),
            conversationId: try r.int("conversation_id"), messageId: try r.intOpt("message_id"),
            actorUserId: try r.intOpt("actor_user_id"), createdAt: try r.date("created_at"),
            readAt: try r.dateOpt("read_at"))
    }

    /// Records notifications for `userIds` (the actor is never told about their own act);
    /// returns who was notified, for the live stream.
    static func notify(
        _ db: any SQLDatabase, _ userIds: [ID], kind: AgentNotification.Kind, conversation: ID, message: ID?,
        actor: ID?, now: Date
    ) async throws -> [ID] {
        var notified: [ID] = []
        for user in Set(userIds).sorted() where user != actor {
            guard try await db.raw("SELECT id FROM users WHERE id = \(bind: user) AND disabled = 0").first() != nil else {
                throw StoreError.invalid("mentions: no active user \(user)")
            }
            try await db.raw(
                """
                INSERT INTO notifications (user_id, kind, conversation_id, message_id, actor_user_id, created_at)
                VALUES (\(bind: user), \(bind: kind.rawValue), \(bind: conversation), \(bind: message), \(bind: actor), \(bind: now.epoch))
                """
            ).run()
            notified.append(user)
        }
        return notified
    }

    /// Newest first, with the conversation's customer and snippet for the list.
    public func notifications(userId: ID, limit: Int = 50) async throws -> [(AgentNotification, contactName: String, snippet: String)] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.notificationColumns), ct.name AS contact_name, COALESCE(m.text, c.snippet) AS snippet
                FROM notifications n JOIN conversations c ON c.id = n.conversation_id JOIN contacts ct ON ct.id = c.contact_id LEFT JOIN messages m ON m.id = n.message_id
                WHERE n.user_id = \(bind: userId) ORDER BY n.id DESC LIMIT \(bind: limit)
                """
            ).all().map { (try Self.notification($0), try $0.string("contact_name"), try $0.string("snippet")) }
        }
    }

    public func unreadNotificationCount(userId: ID) async throws -> Int {
        try await db.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL").first()!.int("n"))
        }
    }

    /// Marks the user's notifications read: those of one conversation, or all.
    public func markNotificationsRead(userId: ID, conversationId: ID? = nil, now: Date = Date()) async throws {
        try await db.write { db in
            var sql = SQLQueryString("UPDATE notifications SET read_at = \(bind: now.epoch) WHERE user_id = \(bind: userId) AND read_at IS NULL")
            if let conversationId { sql.appendLiteral(" AND conversation_id = "); sql.appendInterpolation(bind: conversationId) }
            try await db.raw(sql).run()
        }
    }
}
