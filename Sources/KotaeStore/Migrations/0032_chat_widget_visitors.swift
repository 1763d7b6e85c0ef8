extension Migration {
    /// 32: the chat widget's visitors: per inbox, the address they left for replies by email,
    /// their language and the last pages they were on (shown to the agent).
    static let v32ChatWidgetVisitors = Migration(
        version: 32, name: "chat widget visitors",
        statements: [
            """
            CREATE TABLE chat_visitors (
              inbox_id {int} NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE, visitor_key TEXT NOT NULL,
              email TEXT, locale TEXT, pages TEXT NOT NULL DEFAULT '[]', last_seen_at {real} NOT NULL,
              PRIMARY KEY (inbox_id, visitor_key))
            """
        ])
}
