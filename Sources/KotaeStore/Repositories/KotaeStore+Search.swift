import Foundation
import KotaeCore
import SQLKit

extension KotaeStore {
    /// Message ids matching `text`, newest first. Three or more characters use the trigram
    /// index (FTS5 `trigram` on SQLite, `pg_trgm` on PostgreSQL), which finds Japanese
    /// substrings without spaces; one or two characters fall back to a scan from the newest.
    func searchSubquery(_ text: String, limit: Int) -> SQLQueryString {
        let q = SearchText.normalize(text)
        let like = "%" + Self.escapeLike(q) + "%"
        switch dialect {
        case .sqlite where q.count >= 3:
            let phrase = "\"" + q.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "SELECT rowid FROM messages_fts WHERE messages_fts MATCH \(bind: phrase) ORDER BY rowid DESC LIMIT \(bind: limit)"
        case .sqlite:
            return "SELECT id FROM messages WHERE lower(text) LIKE \(bind: like) ESCAPE '\\' AND kind != 'system' ORDER BY id DESC LIMIT \(bind: limit)"
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

    public func searchMessages(_ text: String, limit: Int = 50) async throws -> [MessageHit] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let sub = searchSubquery(text, limit: limit)
        return try await db.read { db in
            var sql = SQLQueryString("SELECT id, conversation_id, kind, text, created_at FROM messages WHERE id IN (")
            sql.appendInterpolation(sub)
            sql.appendLiteral(") ORDER BY id DESC")
            return try await db.raw(sql).all().map {
                MessageHit(messageId: try $0.int("id"), conversationId: try $0.int("conversation_id"),
                           kind: try $0.enumValue("kind", MessageKind.self), text: try $0.string("text"), createdAt: try $0.date("created_at"))
            }
        }
    }
}
