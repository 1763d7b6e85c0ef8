import KotaeCore
import SQLKit

/// Adds messages stored since the last commit to the SQLite search index (`messages_fts`),
/// in one statement per group-committed batch, inside the batch's transaction.
///
/// Why not a trigger: FTS5 flushes its pending entries at every statement savepoint, so a
/// per-row trigger wrote one index segment per message. Messages are never re-worded in
/// place; a future edit path must also replace the row's entry here.
final class DeferredSearchIndex: Sendable {
    private let ready = Locked(false)

    func indexNewMessages(_ db: any SQLDatabase) async throws {
        if !ready.withLock({ $0 }) {
            // Before migration 8 (and while it runs) the message trigger still indexes.
            let table = try await db.raw("SELECT 1 AS present FROM sqlite_master WHERE name = 'message_index_state'").first()
            guard table != nil else { return }
            ready.withLock { $0 = true }
        }
        try await db.raw(
            """
            INSERT INTO messages_fts (rowid, body)
            SELECT id, kotae_normalize(text) FROM messages
            WHERE id > (SELECT last_message_id FROM message_index_state) AND kind != 'system'
            """
        ).run()
        try await db.raw(
            """
            UPDATE message_index_state SET last_message_id = (SELECT coalesce(max(id), 0) FROM messages)
            WHERE last_message_id < (SELECT coalesce(max(id), 0) FROM messages)
            """
        ).run()
    }
}
