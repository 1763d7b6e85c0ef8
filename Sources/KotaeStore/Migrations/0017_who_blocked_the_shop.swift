extension Migration {
    /// 17: who blocked the shop.
    static let v17WhoBlockedTheShop = Migration(
        version: 17, name: "who blocked the shop",
        statements: [
            // A person's latest follow or block of the shop's account (LINE): a blocked
            // customer receives nothing, which agents must know before they write.
            """
            CREATE TABLE platform_follows (channel TEXT NOT NULL, external_id TEXT NOT NULL, followed {int} NOT NULL,
              at {real} NOT NULL, PRIMARY KEY (channel, external_id))
            """
        ])
}
