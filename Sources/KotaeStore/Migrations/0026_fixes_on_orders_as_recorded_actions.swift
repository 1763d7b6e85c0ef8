extension Migration {
    /// 26: fixes on orders (reship, refund, coupon…) as records with a state, each under a key
    /// of its own that the platform sees as the idempotency key.
    static let v26FixesOnOrdersAsRecordedActions = Migration(
        version: 26, name: "fixes on orders as recorded actions",
        statements: [
            """
            CREATE TABLE order_actions (
              id {id}, key TEXT NOT NULL UNIQUE,
              conversation_id {int} NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              store_id {int} NOT NULL REFERENCES commerce_stores(id) ON DELETE CASCADE,
              order_id TEXT NOT NULL,
              kind TEXT NOT NULL, state TEXT NOT NULL,
              data TEXT NOT NULL,
              created_at {real} NOT NULL, updated_at {real} NOT NULL)
            """,
            "CREATE INDEX order_actions_by_conversation ON order_actions (conversation_id, id)",
            "CREATE INDEX order_actions_by_state ON order_actions (state, updated_at)",
        ])
}
