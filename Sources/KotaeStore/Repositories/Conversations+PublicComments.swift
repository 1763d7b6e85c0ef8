import Foundation
import KotaeCore
import SQLKit

/// Public comments and posts: each needs its own answer (or a conscious close). One person's
/// comments on two posts are one conversation, but one answer under the latest does not
/// answer the first.
extension Conversations {
    /// SQL condition for a customer's public item (comment, post) in conversation `id`.
    private static func publicItemsOf(_ conversationId: ID) -> SQLQueryString {
        var sql = SQLQueryString("conversation_id = \(bind: conversationId) AND kind = 'inbound' AND (")
        for (i, kind) in ExternalIDKind.allCases.filter(\.isPublicItem).enumerated() {
            if i > 0 { sql.appendLiteral(" OR ") }
            sql.appendLiteral("external_id LIKE ")
            sql.appendInterpolation(bind: KotaeStore.escapeLike(kind.rawValue) + "%")
            sql.appendLiteral(" ESCAPE '\\'")
        }
        sql.appendLiteral(")")
        return sql
    }

    /// The same, unanswered.
    private static func unhandledItems(_ conversationId: ID) -> SQLQueryString {
        var sql = Self.publicItemsOf(conversationId)
        sql.appendLiteral(" AND handled_at IS NULL")
        return sql
    }

    static func markHandled(_ db: any SQLDatabase, messageIds: [ID], at: Date) async throws {
        for id in messageIds {
            try await db.raw("UPDATE messages SET handled_at = \(bind: at.epoch) WHERE id = \(bind: id) AND handled_at IS NULL").run()
        }
    }

    /// A conscious close: every unanswered comment of the conversation counts as dealt with.
    static func markAllHandled(_ db: any SQLDatabase, conversationId: ID, at: Date) async throws {
        try await db.raw("UPDATE messages SET handled_at = \(bind: at.epoch) WHERE \(Self.unhandledItems(conversationId))").run()
    }

    /// After an answer: if other comments are still unanswered, the customer still waits, since the oldest.
    static func keepWaitingForUnansweredComments(_ db: any SQLDatabase, _ c: inout Conversation, inbox: Inbox) async throws {
        guard c.isPublic,
            let oldest = try await db.raw(
                """
                SELECT MIN(COALESCE(sent_at, created_at)) AS since FROM messages WHERE \(Self.unhandledItems(c.id))
                """
            ).first()?.dateOpt("since")
        else { return }
        try c.clock.apply(.stillWaiting(since: oldest), policy: inbox.slaPolicy)
    }

    /// The customer's public comments and posts in a conversation, newest first, for the
    /// composer's choice of which to answer.
    public func publicItems(conversationId: ID) async throws -> [Message] {
        let sql = SQLQueryString(
            "SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE \(Self.publicItemsOf(conversationId)) ORDER BY id DESC LIMIT 50")
        return try await db.read { db in try await db.raw(sql).all().map(Self.message) }
    }

    /// The comment a reply answers: the one asked for (it must be this conversation's
    /// public comment), else the latest unanswered, else the latest.
    static func replyTarget(_ db: any SQLDatabase, conversation: Conversation, requested: ID?) async throws -> ID? {
        guard conversation.isPublic else { return nil }
        if let requested {
            guard
                let m = try await db.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE id = \(bind: requested)").first().map(
                    Self.message),
                m.conversationId == conversation.id, m.isPublicItem
            else {
                throw StoreError.invalid("replyTo: not a public comment of this conversation")
            }
            return requested
        }
        if let r = try await db.raw("SELECT id FROM messages WHERE \(Self.unhandledItems(conversation.id)) ORDER BY id DESC LIMIT 1").first() {
            return try r.int("id")
        }
        return try await db.raw(
            "SELECT id FROM messages WHERE conversation_id = \(bind: conversation.id) AND kind = 'inbound' ORDER BY id DESC LIMIT 1"
        )
        .first().map { try $0.int("id") }
    }

    /// The customer's message a reply goes under: the one it answers when it has that
    /// platform's prefix, else their latest with it.
    public func replyTarget(of message: Message, kind: ExternalIDKind) async throws -> Message? {
        if let id = message.replyToId, let target = try await self.message(id: id), ExternalIDKind.of(target.externalId) == kind {
            return target
        }
        return try await latestInbound(conversationId: message.conversationId, kind: kind)
    }
}
