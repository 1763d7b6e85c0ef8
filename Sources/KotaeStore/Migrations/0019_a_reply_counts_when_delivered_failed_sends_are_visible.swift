extension Migration {
    /// 19: a reply counts when delivered; failed sends are visible.
    static let v19AReplyCountsWhenDeliveredFailedSendsAreVisible = Migration(
        version: 19, name: "a reply counts when delivered; failed sends are visible",
        statements: [
            "ALTER TABLE conversations ADD COLUMN reply_sending_since {real}",
            "ALTER TABLE conversations ADD COLUMN reply_failed_at {real}",
            // The "Failed to send" view: few rows, so a partial index in due order.
            "CREATE INDEX conversations_failed ON conversations (sla_sort, id) WHERE reply_failed_at IS NOT NULL",
        ])
}
