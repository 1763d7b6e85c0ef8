import Foundation
import KotaeCore
import SQLKit

/// The chat widget's visitors and what the widget reads: a visitor's conversations (their
/// thread keys start with `chat:<visitor>/`) and the messages in them a customer may see.
public struct ChatVisitors: Sendable {
    let db: KotaeDatabase

    static func visitor(_ r: any SQLRow) throws -> ChatVisitor {
        ChatVisitor(
            inboxId: try r.int("inbox_id"), key: try r.string("visitor_key"), email: try r.stringOpt("email"),
            locale: try r.stringOpt("locale"), pages: try JSON.decode([ChatVisitor.Page].self, try r.string("pages")),
            lastSeenAt: try r.date("last_seen_at"))
    }

    public func visitor(inbox: ID, key: String) async throws -> ChatVisitor? {
        try await db.read { db in
            try await db.raw("SELECT * FROM chat_visitors WHERE inbox_id = \(bind: inbox) AND visitor_key = \(bind: key)").first().map(Self.visitor)
        }
    }

    /// The visitor is here, on `page` (added to their trail unless it is the page they were on).
    @discardableResult
    public func seen(inbox: ID, key: String, locale: String?, page: ChatVisitor.Page?, now: Date = Date()) async throws -> ChatVisitor {
        try await db.write { db in
            var v =
                try await db.raw("SELECT * FROM chat_visitors WHERE inbox_id = \(bind: inbox) AND visitor_key = \(bind: key)").first().map(
                    Self.visitor)
                ?? ChatVisitor(inboxId: inbox, key: key, email: nil, locale: nil, pages: [], lastSeenAt: now)
            if let locale { v.locale = locale }
            if let page, v.pages.last?.url != page.url { v.pages = Array((v.pages + [page]).suffix(ChatVisitor.trailLength)) }
            v.lastSeenAt = now
            try await db.raw(
                """
                INSERT INTO chat_visitors (inbox_id, visitor_key, email, locale, pages, last_seen_at)
                VALUES (\(bind: inbox), \(bind: key), \(bind: v.email), \(bind: v.locale), \(bind: JSON.string(v.pages)), \(bind: now.epoch))
                ON CONFLICT (inbox_id, visitor_key) DO UPDATE SET locale = excluded.locale, pages = excluded.pages,
                  last_seen_at = excluded.last_seen_at
                """
            ).run()
            return v
        }
    }

    /// The address the visitor left for replies they miss in the widget.
    public func setEmail(inbox: ID, key: String, email: String, now: Date = Date()) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO chat_visitors (inbox_id, visitor_key, email, pages, last_seen_at)
                VALUES (\(bind: inbox), \(bind: key), \(bind: email), '[]', \(bind: now.epoch))
                ON CONFLICT (inbox_id, visitor_key) DO UPDATE SET email = excluded.email
                """
            ).run()
        }
    }

    /// One of a visitor's conversations, as the widget lists it.
    public struct Thread: Sendable, Equatable {
        public var conversationId: ID
        /// The widget's name for it: the client id of its first message.
        public var thread: String
        public var status: ConversationStatus
        public var lastMessageAt: Date
        public var snippet: String
    }

    public func threads(inbox: ID, visitor: String) async throws -> [Thread] {
        let prefix = ThreadKind.chat.key(visitor + "/")
        return try await db.read { db in
            try await db.raw(
                """
                SELECT id, thread_key, status, last_message_at, snippet FROM conversations
                WHERE inbox_id = \(bind: inbox) AND thread_key LIKE \(bind: KotaeStore.escapeLike(prefix) + "%") ESCAPE '\\'
                ORDER BY last_message_at DESC LIMIT 50
                """
            ).all().map { r in
                Thread(
                    conversationId: try r.int("id"), thread: String(try r.string("thread_key").dropFirst(prefix.count)),
                    status: try r.enumValue("status", ConversationStatus.self), lastMessageAt: try r.date("last_message_at"),
                    snippet: try r.string("snippet"))
            }
        }
    }

    /// What the visitor may see in `conversations` after message `after`, oldest first: their
    /// own messages, the shop's replies and the bot's; never notes or the timeline.
    public func messages(conversations: [ID], after: ID, limit: Int = 500) async throws -> [Message] {
        guard !conversations.isEmpty else { return [] }
        var sql = SQLQueryString("SELECT \(unsafeRaw: Conversations.messageColumns) FROM messages WHERE conversation_id IN (")
        for (i, id) in conversations.enumerated() {
            if i > 0 { sql.appendLiteral(", ") }
            sql.appendInterpolation(bind: id)
        }
        sql.appendLiteral(") AND id > ")
        sql.appendInterpolation(bind: after)
        sql.appendLiteral(" AND kind IN ('inbound', 'outbound', 'automated') ORDER BY id LIMIT ")
        sql.appendInterpolation(bind: limit)
        let query = sql
        return try await db.read { db in try await db.raw(query).all().map(Conversations.message) }
    }

    /// Whether the bot handed `conversation` to the people (so a visitor out of hours is asked for an address).
    public func handedOff(conversationId: ID) async throws -> Bool {
        try await db.read { db in
            try await db.raw(
                "SELECT 1 AS one FROM events WHERE conversation_id = \(bind: conversationId) AND type = 'bot.handOff' LIMIT 1"
            ).first() != nil
        }
    }
}
