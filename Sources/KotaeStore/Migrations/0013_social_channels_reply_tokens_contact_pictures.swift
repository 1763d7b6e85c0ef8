extension Migration {
    /// 13: social channels: reply tokens, contact pictures.
    static let v13SocialChannelsReplyTokensContactPictures = Migration(
        version: 13, name: "social channels: reply tokens, contact pictures",
        statements: [
            // A platform's short-lived token for answering the latest message (LINE's replyToken).
            """
            CREATE TABLE channel_reply_tokens (conversation_id {int} PRIMARY KEY REFERENCES conversations(id),
              token TEXT NOT NULL, received_at {real} NOT NULL)
            """,
            "ALTER TABLE contacts ADD COLUMN avatar_url TEXT",
            // Moderation of public comments: liked by the page; hidden (spam only), with why.
            "ALTER TABLE messages ADD COLUMN liked_at {real}",
            "ALTER TABLE messages ADD COLUMN hidden_reason TEXT",
            // Platform events that are not messages (a follow), by their delivery id: stored once.
            "CREATE TABLE channel_event_keys (key TEXT PRIMARY KEY, created_at {real} NOT NULL)",
            // A platform thread that continues an existing conversation: the Messenger thread
            // opened by a private reply to a comment belongs to that comment's conversation.
            """
            CREATE TABLE thread_aliases (inbox_id {int} NOT NULL REFERENCES inboxes(id), alias TEXT NOT NULL,
              conversation_id {int} NOT NULL REFERENCES conversations(id), PRIMARY KEY (inbox_id, alias))
            """,
        ])
}
