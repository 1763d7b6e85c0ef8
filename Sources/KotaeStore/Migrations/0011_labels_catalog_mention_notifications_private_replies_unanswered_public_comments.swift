extension Migration {
    /// 11: labels catalog, mention notifications, private replies, unanswered public comments.
    static let v11LabelsCatalogMentionNotificationsPrivateRepliesUnansweredPublicComments = Migration(
        version: 11, name: "labels catalog, mention notifications, private replies, unanswered public comments",
        statements: [
            "CREATE TABLE labels (id {id}, name TEXT NOT NULL UNIQUE, color TEXT NOT NULL, description TEXT NOT NULL, created_at {real} NOT NULL)",
            // Labels already on conversations join the catalog, so no view loses them.
            """
            INSERT INTO labels (name, color, description, created_at)
            SELECT DISTINCT label, '#5f6368', '', 0 FROM conversation_labels
            """,
            """
            CREATE TABLE notifications (id {id}, user_id {int} NOT NULL REFERENCES users(id), kind TEXT NOT NULL,
              conversation_id {int} NOT NULL REFERENCES conversations(id), message_id {int},
              actor_user_id {int}, created_at {real} NOT NULL, read_at {real})
            """,
            "CREATE INDEX notifications_user ON notifications (user_id, read_at, id)",
            // A reply sent privately (a DM) in answer to a public comment.
            "ALTER TABLE messages ADD COLUMN private_reply {int} NOT NULL DEFAULT 0",
            // The "Unanswered public comments" view in due order. A partial index (WHERE
            // is_public = 1) lost to conversations_waiting in the planner, which then walked
            // every waiting conversation (2 s at 1M when none was public); two equality
            // columns win the choice.
            "CREATE INDEX conversations_public_waiting ON conversations (needs_reply, is_public, sla_sort, id)",
        ])
}
