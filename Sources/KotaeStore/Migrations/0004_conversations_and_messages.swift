extension Migration {
    /// 4: conversations and messages.
    static let v04ConversationsAndMessages = Migration(
        version: 4, name: "conversations and messages",
        statements: [
            """
            CREATE TABLE conversations (id {id}, inbox_id {int} NOT NULL REFERENCES inboxes(id),
              contact_id {int} NOT NULL REFERENCES contacts(id), thread_key TEXT NOT NULL,
              status TEXT NOT NULL, priority TEXT NOT NULL DEFAULT 'none',
              assignee_id {int} REFERENCES users(id), team_id {int} REFERENCES teams(id),
              is_public {int} NOT NULL DEFAULT 0, needs_reply {int} NOT NULL DEFAULT 0,
              waiting_since {real}, first_response_due {real}, next_response_due {real},
              resolution_due {real}, first_responded_at {real}, resolved_at {real},
              pending_since {real}, snoozed_until {real}, no_reply_reason TEXT,
              first_response_seconds {real}, resolution_seconds {real},
              paused_seconds {real} NOT NULL DEFAULT 0, cycle_started_at {real} NOT NULL,
              sla_due_at {real}, sla_warn_at {real}, sla_sort {real} NOT NULL,
              last_message_at {real} NOT NULL, snippet TEXT NOT NULL DEFAULT '',
              created_at {real} NOT NULL, updated_at {real} NOT NULL,
              UNIQUE (inbox_id, thread_key))
            """,
            "CREATE INDEX conversations_queue ON conversations (status, sla_sort, id)",
            "CREATE INDEX conversations_assignee ON conversations (assignee_id, status, sla_sort, id)",
            "CREATE INDEX conversations_inbox ON conversations (inbox_id, status, sla_sort, id)",
            "CREATE INDEX conversations_recent ON conversations (status, last_message_at, id)",
            "CREATE INDEX conversations_contact ON conversations (contact_id)",
            "CREATE INDEX conversations_unanswered ON conversations (needs_reply, inbox_id)",
            """
            CREATE TABLE conversation_labels (conversation_id {int} NOT NULL REFERENCES conversations(id),
              label TEXT NOT NULL, PRIMARY KEY (conversation_id, label))
            """,
            "CREATE INDEX conversation_labels_label ON conversation_labels (label, conversation_id)",
            """
            CREATE TABLE messages (id {id}, conversation_id {int} NOT NULL REFERENCES conversations(id),
              inbox_id {int} NOT NULL REFERENCES inboxes(id), kind TEXT NOT NULL,
              author_user_id {int} REFERENCES users(id), text TEXT NOT NULL, html TEXT,
              external_id TEXT, delivery_state TEXT NOT NULL, delivery_error TEXT,
              attachments TEXT NOT NULL DEFAULT '[]', sent_at {real}, created_at {real} NOT NULL,
              search_text TEXT NOT NULL DEFAULT '', UNIQUE (inbox_id, external_id))
            """,
            "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
        ],
        sqliteOnly: [
            // Contentless trigram index: rowid = message id, text normalized by the app.
            "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='', contentless_delete=1, tokenize='trigram')"
        ],
        postgresOnly: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX messages_search ON messages USING gin (search_text gin_trgm_ops)",
            "CREATE INDEX contacts_search ON contacts USING gin (search_text gin_trgm_ops)",
        ])
}
