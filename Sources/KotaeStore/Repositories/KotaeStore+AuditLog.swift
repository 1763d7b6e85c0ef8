import Foundation
import KotaeCore
import SQLKit

/// The audit log: append-only, nothing here updates or deletes.
extension KotaeStore {
    static func appendEvent(_ db: any SQLDatabase, type: String, actor: ID?, conversation: ID?, data: [String: String]) async throws {
        try await db.raw(
            """
            INSERT INTO events (at, actor_user_id, conversation_id, type, data)
            VALUES (\(bind: Date().epoch), \(bind: actor), \(bind: conversation), \(bind: type), \(bind: JSON.string(data)))
            """
        ).run()
    }

    public func events(conversationId: ID) async throws -> [AuditEvent] {
        try await db.read { db in
            try await db.raw(
                "SELECT id, at, actor_user_id, conversation_id, type, data FROM events WHERE conversation_id = \(bind: conversationId) ORDER BY id"
            ).all().map {
                AuditEvent(
                    id: try $0.int("id"), at: try $0.date("at"), actorUserId: try $0.intOpt("actor_user_id"),
                    conversationId: try $0.intOpt("conversation_id"), type: try $0.string("type"), data: try $0.string("data"))
            }
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
}
