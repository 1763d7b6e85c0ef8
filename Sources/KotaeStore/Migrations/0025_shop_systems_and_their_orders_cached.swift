extension Migration {
    /// 25: connected shop systems (stores), their orders cached for the sidebar, and the
    /// orders an agent linked to a conversation by hand.
    static let v25ShopSystemsAndTheirOrdersCached = Migration(
        version: 25, name: "shop systems and their orders cached",
        statements: [
            """
            CREATE TABLE commerce_stores (
              id {id}, platform TEXT NOT NULL, name TEXT NOT NULL,
              settings TEXT NOT NULL DEFAULT '{}',
              credentials TEXT,
              problem TEXT,
              created_at {real} NOT NULL)
            """,
            // One row per (store, order): the card as JSON plus the columns it is found by.
            // `updated_at` is the platform's (a stale webhook is older); `seen_at` is when
            // Kotae last heard of it, shown as the cache's age when the store is unreachable.
            """
            CREATE TABLE commerce_orders (
              store_id {int} NOT NULL REFERENCES commerce_stores(id) ON DELETE CASCADE,
              order_id TEXT NOT NULL,
              number TEXT NOT NULL,
              email TEXT,
              phone TEXT,
              customer_id TEXT,
              created_at {real} NOT NULL,
              updated_at {real} NOT NULL,
              seen_at {real} NOT NULL,
              data TEXT NOT NULL,
              PRIMARY KEY (store_id, order_id))
            """,
            "CREATE INDEX commerce_orders_by_email ON commerce_orders (email, created_at)",
            "CREATE INDEX commerce_orders_by_phone ON commerce_orders (phone, created_at)",
            "CREATE INDEX commerce_orders_by_number ON commerce_orders (number, store_id)",
            "CREATE INDEX commerce_orders_by_customer ON commerce_orders (store_id, customer_id)",
            """
            CREATE TABLE conversation_orders (
              conversation_id {int} NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              store_id {int} NOT NULL REFERENCES commerce_stores(id) ON DELETE CASCADE,
              order_id TEXT NOT NULL,
              linked_by {int} REFERENCES users(id),
              linked_at {real} NOT NULL,
              PRIMARY KEY (conversation_id, store_id, order_id))
            """,
        ])
}
