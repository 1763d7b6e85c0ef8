extension Migration {
    /// 38: replies held for a supervisor's approval; the inbox's view of them reads this index.
    static let v38RepliesHeldForApproval = Migration(
        version: 38, name: "replies held for approval",
        statements: [
            "CREATE INDEX messages_awaiting_approval ON messages (conversation_id) WHERE delivery_state = 'awaiting_approval'"
        ])
}
