extension Migration {
    /// 8: SQLite search index written once per committed batch.
    static let v08SqliteSearchIndexWrittenOncePerCommittedBatch = Migration(
        version: 8, name: "SQLite search index written once per committed batch", statements: [],
        sqliteOnly: [
            // A row trigger writing into FTS5 made SQLite flush the index at every statement
            // savepoint: one tiny index segment per message. `DeferredSearchIndex` now adds
            // every new message in one statement just before each group commit.
            "DROP TRIGGER messages_after_insert",
            """
            CREATE TRIGGER messages_after_insert AFTER INSERT ON messages WHEN new.kind = 'inbound' BEGIN
              INSERT INTO events (at, conversation_id, type, data)
                VALUES (new.created_at, new.conversation_id, 'message.received', json_object('messageId', CAST(new.id AS TEXT)));
            END
            """,
            "CREATE TABLE message_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_message_id INTEGER NOT NULL)",
            "INSERT INTO message_index_state (id, last_message_id) SELECT 1, coalesce(max(id), 0) FROM messages",
        ])
}
