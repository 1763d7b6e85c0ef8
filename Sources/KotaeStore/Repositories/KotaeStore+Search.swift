import Foundation
import KotaeCore
import SQLKit

extension KotaeStore {
    /// Message ids matching `text`, newest first. Three or more characters use the trigram
    /// index (FTS5 `trigram` on SQLite, `pg_trgm` on PostgreSQL), which finds Japanese
    /// substrings without spaces; one or two characters fall back to a scan from the newest.
    static func searchSubquery(_ text: String, limit: Int, dialect: SQLDialectKind) -> SQLQueryString {
        let q = SearchText.normalize(text)
        let like = "%" + Self.escapeLike(q) + "%"
        switch dialect {
        case .sqlite where q.count >= 3:
            let phrase = Self.ftsPhrase(q)
            return "SELECT rowid FROM messages_fts WHERE messages_fts MATCH \(bind: phrase) ORDER BY rowid DESC LIMIT \(bind: limit)"
        case .sqlite:
            return
                "SELECT id FROM messages WHERE lower(text) LIKE \(bind: like) ESCAPE '\\' AND kind != 'system' ORDER BY id DESC LIMIT \(bind: limit)"
        case .postgres:
            return "SELECT id FROM messages WHERE search_text LIKE \(bind: like) ESCAPE '\\' ORDER BY id DESC LIMIT \(bind: limit)"
        }
    }

    /// Merges the SQLite search index into one segment (after bulk loads); no-op on PostgreSQL.
    public func optimizeSearchIndex() async throws {
        guard dialect == .sqlite else { return }
        try await db.write { db in
            try await db.raw("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')").run()
        }
    }

    public struct MessageHit: Codable, Sendable {
        public var messageId: ID
        public var conversationId: ID
        public var kind: MessageKind
        public var text: String
        public var createdAt: Date
    }

    /// The newest messages matching `text`. On SQLite, three or more characters first look
    /// through the newest `recentWindow` messages directly (common words fill the page there,
    /// where walking the index backwards is slow), and use the trigram index only for what
    /// is older than that window — the answer is the same either way.
    public func searchMessages(_ text: String, limit: Int = 50, recentWindow: Int = 2000) async throws -> [MessageHit] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let q = SearchText.normalize(text)
        let columns = "id, conversation_id, kind, text, created_at"
        if dialect == .sqlite, q.count >= 3 {
            let phrase = Self.ftsPhrase(q)
            return try await db.read { db in
                let newest = try await db.raw("SELECT COALESCE(MAX(id), 0) AS n FROM messages").first()!.int("n")
                let windowStart = newest - Int64(recentWindow)
                var hits = try await db.raw(
                    """
                    SELECT \(unsafeRaw: columns) FROM messages WHERE id > \(bind: windowStart) AND kind != 'system'
                    AND instr(kotae_normalize(text), \(bind: q)) > 0 ORDER BY id DESC LIMIT \(bind: limit)
                    """
                ).all().map(Self.messageHit)
                if hits.count < limit {
                    hits += try await db.raw(
                        """
                        SELECT \(unsafeRaw: columns) FROM messages WHERE id IN (SELECT rowid FROM messages_fts
                          WHERE messages_fts MATCH \(bind: phrase) AND rowid <= \(bind: windowStart) ORDER BY rowid DESC LIMIT \(bind: limit - hits.count))
                        ORDER BY id DESC
                        """
                    ).all().map(Self.messageHit)
                }
                return hits
            }
        }
        let sub = Self.searchSubquery(text, limit: limit, dialect: dialect)
        return try await db.read { db in
            var sql = SQLQueryString("SELECT \(unsafeRaw: columns) FROM messages WHERE id IN (")
            sql.appendInterpolation(sub)
            sql.appendLiteral(") ORDER BY id DESC")
            return try await db.raw(sql).all().map(Self.messageHit)
        }
    }

    /// An FTS5 query that matches `text` as one phrase: quotes doubled, so operators are plain text.
    static func ftsPhrase(_ text: String) -> String {
        "\"" + ftsQuote(text) + "\""
    }

    /// On code points: a quote with a combining mark on it still ends an FTS5 string, and the
    /// search failed with a syntax error.
    private static let ftsQuote = ASCIIEscape(["\"": "\"\""])

    static func messageHit(_ r: any SQLRow) throws -> MessageHit {
        MessageHit(
            messageId: try r.int("id"), conversationId: try r.int("conversation_id"),
            kind: try r.enumValue("kind", MessageKind.self), text: try r.string("text"), createdAt: try r.date("created_at"))
    }
}
