extension Migration {
    /// 9: when each agent last read each conversation (unread markers).
    static let v09WhenEachAgentLastReadEachConversationUnreadMarkers = Migration(
        version: 9, name: "when each agent last read each conversation (unread markers)",
        statements: [
            """
            CREATE TABLE conversation_reads (user_id {int} NOT NULL REFERENCES users(id),
              conversation_id {int} NOT NULL REFERENCES conversations(id), read_at {real} NOT NULL,
              PRIMARY KEY (user_id, conversation_id))
            """
        ])
}
