import Foundation
import KotaeCore
import SQLKit

extension Conversations {
    /// Counts are capped: the sidebar shows "99+" rather than counting a million rows on
    /// every page view (past a hundred, the number tells an agent nothing more).
    public static let viewCountCap = 99

    /// How many conversations `q` finds: exact up to `viewCountCap`, `viewCountCap + 1` past it.
    public func countConversations(_ q: ConversationQuery, now: Date = Date()) async throws -> Int {
        var capped = q
        capped.limit = Self.viewCountCap
        capped.cursor = nil
        let inner = conversationListSQL(capped, now: now, columns: "c.id", ordered: false)
        return try await db.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM (\(inner)) counted").first()!.int("n"))
        }
    }

    /// Several capped counts in one statement (`SELECT (count 1), (count 2), …`): the sidebar's
    /// dozen counts cost one round trip to a reader instead of twelve.
    public func countConversations(_ queries: [ConversationQuery], now: Date = Date()) async throws -> [Int] {
        guard !queries.isEmpty else { return [] }
        var sql = SQLQueryString("SELECT ")
        for (i, q) in queries.enumerated() {
            var capped = q
            capped.limit = Self.viewCountCap
            capped.cursor = nil
            if i > 0 { sql.appendLiteral(", ") }
            sql.appendLiteral("(SELECT COUNT(*) FROM (")
            sql.appendInterpolation(conversationListSQL(capped, now: now, columns: "c.id", ordered: false))
            sql.appendLiteral(") counted\(i)) AS n\(i)")
        }
        let finalSQL = sql
        return try await db.read { db in
            let row = try await db.raw(finalSQL).first()!
            return try queries.indices.map { Int(try row.int("n\($0)")) }
        }
    }

    /// Marks the conversation read by the agent now.
    public func markRead(conversationId: ID, userId: ID, now: Date = Date()) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO conversation_reads (user_id, conversation_id, read_at) VALUES (\(bind: userId), \(bind: conversationId), \(bind: now.epoch))
                ON CONFLICT (user_id, conversation_id) DO UPDATE SET read_at = excluded.read_at
                """
            ).run()
        }
    }

    /// Of `conversations`, the ids with a message the agent has not seen.
    public func unreadIds(_ conversations: [Conversation], userId: ID) async throws -> Set<ID> {
        guard !conversations.isEmpty else { return [] }
        var sql = SQLQueryString("SELECT conversation_id, read_at FROM conversation_reads WHERE user_id = \(bind: userId) AND conversation_id IN (")
        for (i, c) in conversations.enumerated() {
            if i > 0 { sql.appendLiteral(", ") }
            sql.appendInterpolation(bind: c.id)
        }
        sql.appendLiteral(")")
        let finalSQL = sql
        let readAt = try await db.read { db in
            var out: [ID: Double] = [:]
            for r in try await db.raw(finalSQL).all() { out[try r.int("conversation_id")] = try r.decode(column: "read_at", as: Double.self) }
            return out
        }
        return Set(conversations.filter { c in readAt[c.id].map { c.lastMessageAt.epoch > $0 } ?? true }.map(\.id))
    }
}
