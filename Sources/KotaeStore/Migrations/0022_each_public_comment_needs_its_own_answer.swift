extension Migration {
    /// 22: each public comment needs its own answer.
    static let v22EachPublicCommentNeedsItsOwnAnswer = Migration(
        version: 22, name: "each public comment needs its own answer",
        statements: [
            // The customer's message an outbound reply answers (a comment, a post).
            "ALTER TABLE messages ADD COLUMN reply_to_id {int}",
            // When a customer's public comment was answered, or consciously closed.
            "ALTER TABLE messages ADD COLUMN handled_at {real}",
            // The post a comment belongs to, an e-mail's headers (MessageDetails as JSON).
            "ALTER TABLE messages ADD COLUMN details TEXT",
        ])
}
