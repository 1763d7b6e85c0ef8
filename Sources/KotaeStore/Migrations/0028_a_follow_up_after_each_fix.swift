extension Migration {
    /// 28: the message after a fix, waiting for its parcel's delivery.
    static let v28AFollowUpAfterEachFix = Migration(
        version: 28, name: "a follow-up after each fix",
        statements: [
            """
            CREATE TABLE delivery_follow_ups (
              id {id},
              conversation_id {int} NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              action_id {int} NOT NULL UNIQUE REFERENCES order_actions(id) ON DELETE CASCADE,
              state TEXT NOT NULL, data TEXT NOT NULL,
              created_at {real} NOT NULL, updated_at {real} NOT NULL)
            """,
            "CREATE INDEX delivery_follow_ups_waiting ON delivery_follow_ups (state, created_at)",
        ])
}
