extension Migration {
    /// 14: what a customer changed on a message.
    static let v14WhatACustomerChangedOnAMessage = Migration(
        version: 14, name: "what a customer changed on a message",
        statements: [
            // Edited, removed or unsent by its author: shown on the message, the first text kept.
            "ALTER TABLE messages ADD COLUMN author_change TEXT",
            "ALTER TABLE messages ADD COLUMN author_changed_at {real}",
            "ALTER TABLE messages ADD COLUMN edited_text TEXT",
        ])
}
