extension Migration {
    /// 15: read receipts.
    static let v15ReadReceipts = Migration(
        version: 15, name: "read receipts",
        statements: [
            // When the customer last read the shop's private messages (Messenger, Instagram, X).
            "CREATE TABLE read_receipts (conversation_id {int} PRIMARY KEY REFERENCES conversations(id), read_at {real} NOT NULL)"
        ])
}
