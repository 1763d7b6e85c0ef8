extension Migration {
    /// 30: the buyer's name on each cached order, normalised, for the panel's suggestions.
    static let v30OrdersFoundByTheBuyersNameAsSuggestions = Migration(
        version: 30, name: "orders found by the buyer's name as suggestions",
        statements: [
            "ALTER TABLE commerce_orders ADD COLUMN name_key TEXT",
            "CREATE INDEX commerce_orders_by_name ON commerce_orders (name_key, created_at)",
        ])
}
