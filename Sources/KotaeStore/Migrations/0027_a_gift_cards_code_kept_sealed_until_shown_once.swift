extension Migration {
    /// 27: a gift card's code, sealed beside its action until the agent has read it once.
    static let v27AGiftCardsCodeKeptSealedUntilShownOnce = Migration(
        version: 27, name: "a gift card's code kept sealed until shown once",
        statements: ["ALTER TABLE order_actions ADD COLUMN secret TEXT"])
}
