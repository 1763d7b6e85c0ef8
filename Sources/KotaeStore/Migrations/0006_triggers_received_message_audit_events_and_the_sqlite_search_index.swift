extension Migration {
    /// 6: triggers: received-message audit events and the SQLite search index.
    static let v06TriggersReceivedMessageAuditEventsAndTheSqliteSearchIndex = Migration(
        version: 6, name: "triggers: received-message audit events and the SQLite search index", statements: [],
        sqliteOnly: [
            // One statement per stored message instead of three: the database writes the
            // audit event and (SQLite) the search entry. kotae_normalize is installed on
            // the writer connection (SearchText.normalize).
            """
            CREATE TRIGGER messages_after_insert AFTER INSERT ON messages BEGIN
              INSERT INTO messages_fts (rowid, body) SELECT new.id, kotae_normalize(new.text) WHERE new.kind != 'system';
              INSERT INTO events (at, conversation_id, type, data)
                SELECT new.created_at, new.conversation_id, 'message.received', json_object('messageId', CAST(new.id AS TEXT))
                WHERE new.kind = 'inbound';
            END
            """
        ],
        postgresOnly: [
            """
            CREATE FUNCTION kotae_message_received() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO events (at, conversation_id, type, data)
              VALUES (NEW.created_at, NEW.conversation_id, 'message.received', json_build_object('messageId', NEW.id::text)::text);
              RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER messages_after_insert AFTER INSERT ON messages FOR EACH ROW WHEN (NEW.kind = 'inbound') EXECUTE FUNCTION kotae_message_received()",
        ])
}
