extension Migration {
    /// 37: a conversation keeps what triage read in its customer's latest message (intent,
    /// urgency), so the inbox can be filtered by them.
    static let v37ConversationsKeepTheirLatestTriage = Migration(
        version: 37, name: "conversations keep their latest triage",
        statements: [
            "ALTER TABLE conversations ADD COLUMN intent TEXT",
            "ALTER TABLE conversations ADD COLUMN urgent {int} NOT NULL DEFAULT 0",
        ])
}
