import Foundation
import Logging
import SQLKit

/// Numbered schema changes, one change each, applied in order and recorded in
/// `schema_migrations`. The same list serves both dialects: `{id}`, `{int}` and
/// `{real}` stand for the column types that differ.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
    /// Statements for one dialect only (search indexes differ).
    var sqliteOnly: [String] = []
    var postgresOnly: [String] = []
}

enum Schema {
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "users and auth",
            statements: [
                """
                CREATE TABLE users (id {id}, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                  role TEXT NOT NULL, password_hash TEXT NOT NULL, locale TEXT NOT NULL DEFAULT 'ja',
                  time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo', disabled {int} NOT NULL DEFAULT 0,
                  created_at {real} NOT NULL)
                """,
                """
                CREATE TABLE sessions (id {id}, token_hash TEXT NOT NULL UNIQUE,
                  user_id {int} NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
                  created_at {real} NOT NULL, expires_at {real} NOT NULL)
                """,
                """
                CREATE TABLE api_tokens (id {id}, user_id {int} NOT NULL REFERENCES users(id),
                  name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at {real} NOT NULL,
                  last_used_at {real})
                """,
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]),
        Migration(
            version: 2, name: "teams and inboxes",
            statements: [
                "CREATE TABLE teams (id {id}, name TEXT NOT NULL UNIQUE, created_at {real} NOT NULL)",
                """
                CREATE TABLE team_members (team_id {int} NOT NULL REFERENCES teams(id),
                  user_id {int} NOT NULL REFERENCES users(id), PRIMARY KEY (team_id, user_id))
                """,
                """
                CREATE TABLE inboxes (id {id}, name TEXT NOT NULL, channel TEXT NOT NULL,
                  settings TEXT NOT NULL DEFAULT '{}', credentials TEXT, sla_policy TEXT NOT NULL,
                  created_at {real} NOT NULL)
                """,
            ]),
        Migration(
            version: 3, name: "contacts",
            statements: [
                """
                CREATE TABLE contacts (id {id}, name TEXT NOT NULL, email TEXT, phone TEXT,
                  search_text TEXT NOT NULL DEFAULT '', merged_into {int} REFERENCES contacts(id),
                  created_at {real} NOT NULL)
                """,
                """
                CREATE TABLE contact_identities (id {id}, contact_id {int} NOT NULL REFERENCES contacts(id),
                  channel TEXT NOT NULL, external_id TEXT NOT NULL, created_at {real} NOT NULL,
                  UNIQUE (channel, external_id))
                """,
                "CREATE INDEX contact_identities_contact ON contact_identities (contact_id)",
            ]),
        Migration(
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
            ]),
        Migration(
            version: 5, name: "events, canned responses, jobs",
            statements: [
                """
                CREATE TABLE events (id {id}, at {real} NOT NULL, actor_user_id {int},
                  conversation_id {int}, type TEXT NOT NULL, data TEXT NOT NULL DEFAULT '{}')
                """,
                "CREATE INDEX events_conversation ON events (conversation_id, id)",
                """
                CREATE TABLE canned_responses (id {id}, shortcut TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                  body TEXT NOT NULL, created_at {real} NOT NULL)
                """,
                """
                CREATE TABLE jobs (id {id}, kind TEXT NOT NULL, payload TEXT NOT NULL,
                  state TEXT NOT NULL, attempts {int} NOT NULL DEFAULT 0, max_attempts {int} NOT NULL,
                  run_at {real} NOT NULL, locked_by TEXT, locked_until {real}, last_error TEXT,
                  created_at {real} NOT NULL, updated_at {real} NOT NULL)
                """,
                "CREATE INDEX jobs_due ON jobs (state, run_at)",
                """
                CREATE TABLE job_runs (job_id {int} NOT NULL, attempt {int} NOT NULL, runner TEXT NOT NULL,
                  at {real} NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (job_id, attempt))
                """,
            ]),
        Migration(
            version: 6, name: "triggers: received-message audit events and the SQLite search index", statements: [],
            sqliteOnly: [
                // One statement per stored message instead of three: the database writes the
                // audit event and (SQLite) the search entry. kotae_normalize is installed on
                // the writer connection (SearchText.normalize).
                """
                CREATE TRIGGER messages_after_insert AFTER INSERT ON messages BEGIN
                  INSERT INTO messages_fts (rowid, body) SELECT new.id, kotae_normalize(new.text) WHERE new.kind != 'system';
                  INSERT INTO events (at, conversation_id, type, data)
                    SELECT new.created_at, new.conversation_id, 'message.received', json_object('messageId', CAST(new.id AS TEXT))
                    WHERE new.kind = 'inbound';
                END
                """
            ],
            postgresOnly: [
                """
                CREATE FUNCTION kotae_message_received() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO events (at, conversation_id, type, data)
                  VALUES (NEW.created_at, NEW.conversation_id, 'message.received', json_build_object('messageId', NEW.id::text)::text);
                  RETURN NEW;
                END $$
                """,
                "CREATE TRIGGER messages_after_insert AFTER INSERT ON messages FOR EACH ROW WHEN (NEW.kind = 'inbound') EXECUTE FUNCTION kotae_message_received()",
            ]),
        Migration(
            version: 7, name: "contact search index (SQLite)", statements: [],
            sqliteOnly: [
                // Contacts are found by any part of a name, email, phone or platform id; without an
                // index that is a scan of every contact. (PostgreSQL has contacts_search, pg_trgm.)
                "CREATE VIRTUAL TABLE contacts_fts USING fts5(body, content='', contentless_delete=1, tokenize='trigram')",
                "INSERT INTO contacts_fts (rowid, body) SELECT id, search_text FROM contacts",
                "CREATE TRIGGER contacts_after_insert AFTER INSERT ON contacts BEGIN INSERT INTO contacts_fts (rowid, body) VALUES (new.id, new.search_text); END",
                """
                CREATE TRIGGER contacts_after_update AFTER UPDATE OF search_text ON contacts BEGIN
                  DELETE FROM contacts_fts WHERE rowid = old.id;
                  INSERT INTO contacts_fts (rowid, body) VALUES (new.id, new.search_text);
                END
                """,
            ]),
        Migration(
            version: 8, name: "SQLite search index written once per committed batch", statements: [],
            sqliteOnly: [
                // A row trigger writing into FTS5 made SQLite flush the index at every statement
                // savepoint: one tiny index segment per message. `DeferredSearchIndex` now adds
                // every new message in one statement just before each group commit.
                "DROP TRIGGER messages_after_insert",
                """
                CREATE TRIGGER messages_after_insert AFTER INSERT ON messages WHEN new.kind = 'inbound' BEGIN
                  INSERT INTO events (at, conversation_id, type, data)
                    VALUES (new.created_at, new.conversation_id, 'message.received', json_object('messageId', CAST(new.id AS TEXT)));
                END
                """,
                "CREATE TABLE message_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_message_id INTEGER NOT NULL)",
                "INSERT INTO message_index_state (id, last_message_id) SELECT 1, coalesce(max(id), 0) FROM messages",
            ]),
        Migration(
            version: 9, name: "when each agent last read each conversation (unread markers)",
            statements: [
                """
                CREATE TABLE conversation_reads (user_id {int} NOT NULL REFERENCES users(id),
                  conversation_id {int} NOT NULL REFERENCES conversations(id), read_at {real} NOT NULL,
                  PRIMARY KEY (user_id, conversation_id))
                """
            ]),
        Migration(
            version: 10, name: "the unanswered queue in due order from one index",
            statements: [
                // The Unanswered view spans open, pending and snoozed; ordered by due time from
                // (needs_reply, inbox_id) it sorted every waiting conversation (0.5 s at 1M).
                // This index also serves the per-channel unanswered counts the old one served.
                "CREATE INDEX IF NOT EXISTS conversations_waiting ON conversations (needs_reply, sla_sort, id)",
                "DROP INDEX IF EXISTS conversations_unanswered",
            ]),
        Migration(
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
            ]),
        Migration(
            version: 12, name: "label views in due order from the label's own rows",
            statements: [
                // A label's rows carry their conversation's status and due time, kept in step by
                // saveConversation, so a label view reads one index range in due order. Walking
                // the open queue for a label whose conversations were all resolved took 4 s at 1M.
                "ALTER TABLE conversation_labels ADD COLUMN status TEXT NOT NULL DEFAULT 'open'",
                "ALTER TABLE conversation_labels ADD COLUMN sla_sort {real} NOT NULL DEFAULT 0",
                """
                UPDATE conversation_labels SET
                  status = (SELECT c.status FROM conversations c WHERE c.id = conversation_labels.conversation_id),
                  sla_sort = (SELECT c.sla_sort FROM conversations c WHERE c.id = conversation_labels.conversation_id)
                """,
                "CREATE INDEX conversation_labels_queue ON conversation_labels (label, status, sla_sort, conversation_id)",
                "DROP INDEX IF EXISTS conversation_labels_label",
            ]),
        Migration(
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
            ]),
        Migration(
            version: 14, name: "what a customer changed on a message",
            statements: [
                // Edited, removed or unsent by its author: shown on the message, the first text kept.
                "ALTER TABLE messages ADD COLUMN author_change TEXT",
                "ALTER TABLE messages ADD COLUMN author_changed_at {real}",
                "ALTER TABLE messages ADD COLUMN edited_text TEXT",
            ]),
        Migration(
            version: 15, name: "read receipts",
            statements: [
                // When the customer last read the shop's private messages (Messenger, Instagram, X).
                "CREATE TABLE read_receipts (conversation_id {int} PRIMARY KEY REFERENCES conversations(id), read_at {real} NOT NULL)"
            ]),
        Migration(
            version: 16, name: "contact pictures kept",
            statements: [
                // A platform's profile picture, copied into the attachment store (its URL expires).
                "ALTER TABLE contacts ADD COLUMN avatar_sha256 TEXT"
            ]),
        Migration(
            version: 17, name: "who blocked the shop",
            statements: [
                // A person's latest follow or block of the shop's account (LINE): a blocked
                // customer receives nothing, which agents must know before they write.
                """
                CREATE TABLE platform_follows (channel TEXT NOT NULL, external_id TEXT NOT NULL, followed {int} NOT NULL,
                  at {real} NOT NULL, PRIMARY KEY (channel, external_id))
                """
            ]),
        Migration(
            version: 18, name: "API tokens expire and are revoked; untrusted platform times noted",
            statements: [
                "ALTER TABLE api_tokens ADD COLUMN expires_at {real}",
                "ALTER TABLE api_tokens ADD COLUMN revoked_at {real}",
                "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
                // Why a message shows the time Kotae received it rather than the platform's.
                "ALTER TABLE messages ADD COLUMN time_note TEXT",
            ]),
        Migration(
            version: 19, name: "a reply counts when delivered; failed sends are visible",
            statements: [
                "ALTER TABLE conversations ADD COLUMN reply_sending_since {real}",
                "ALTER TABLE conversations ADD COLUMN reply_failed_at {real}",
                // The "Failed to send" view: few rows, so a partial index in due order.
                "CREATE INDEX conversations_failed ON conversations (sla_sort, id) WHERE reply_failed_at IS NOT NULL",
            ]),
        Migration(
            version: 20, name: "contact merges are recorded and can be undone",
            statements: [
                // What a merge moved, so an undo moves exactly that back. `reason` is set when
                // Kotae merged by itself (the platform said the two ids are one person).
                """
                CREATE TABLE contact_merges (id {id}, source_id {int} NOT NULL REFERENCES contacts(id),
                  target_id {int} NOT NULL REFERENCES contacts(id), identities TEXT NOT NULL, conversation_ids TEXT NOT NULL,
                  target_email TEXT, target_phone TEXT, reason TEXT, actor_user_id {int}, at {real} NOT NULL, undone_at {real})
                """,
                "CREATE INDEX contact_merges_target ON contact_merges (target_id, id)",
            ]),
        Migration(
            version: 21, name: "the inbox sorts by priority and by waiting time, and filters by priority",
            statements: [
                // Highest priority first, then earliest due: one ascending key, so the list stays
                // one index range scan with the same cursor as the other sorts.
                "ALTER TABLE conversations ADD COLUMN priority_sort {real} NOT NULL DEFAULT 1e12",
                """
                UPDATE conversations SET priority_sort = sla_sort - 1e13 * (CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3
                  WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)
                """,
                "CREATE INDEX conversations_priority ON conversations (status, priority_sort, id)",
                // Longest waiting first, as a column: ordering by COALESCE(waiting_since, …) sorted
                // every open conversation (1.4 s at 1M).
                "ALTER TABLE conversations ADD COLUMN wait_sort {real} NOT NULL DEFAULT 1e12",
                "UPDATE conversations SET wait_sort = COALESCE(waiting_since, 1e12)",
                "CREATE INDEX conversations_wait ON conversations (status, wait_sort, id)",
                // The Unanswered view (every status) in these orders, and the priority filter.
                "CREATE INDEX conversations_waiting_priority ON conversations (needs_reply, priority_sort, id)",
                "CREATE INDEX conversations_waiting_wait ON conversations (needs_reply, wait_sort, id)",
                "CREATE INDEX conversations_priority_filter ON conversations (priority, status, sla_sort, id)",
            ]),
        Migration(
            version: 22, name: "each public comment needs its own answer",
            statements: [
                // The customer's message an outbound reply answers (a comment, a post).
                "ALTER TABLE messages ADD COLUMN reply_to_id {int}",
                // When a customer's public comment was answered, or consciously closed.
                "ALTER TABLE messages ADD COLUMN handled_at {real}",
                // The post a comment belongs to, an e-mail's headers (MessageDetails as JSON).
                "ALTER TABLE messages ADD COLUMN details TEXT",
            ]),
    ]

    static func render(_ sql: String, _ dialect: SQLDialectKind) -> String {
        switch dialect {
        case .sqlite:
            return sql.replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{int}", with: "INTEGER")
                .replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
        case .postgres:
            return sql.replacingOccurrences(of: "{id}", with: "BIGSERIAL PRIMARY KEY")
                .replacingOccurrences(of: "{int}", with: "BIGINT")
                .replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
        }
    }
}

extension KotaeDatabase {
    /// Applies every migration not yet recorded; returns the versions it applied.
    /// All pending ones run in one transaction. Several instances starting at once on
    /// PostgreSQL serialize on an advisory lock.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let dialect = self.dialect
        return try await write { db in
            if dialect == .postgres {
                try await exec(db, "SELECT pg_advisory_xact_lock(4242)")
            }
            try await exec(
                db,
                Schema.render(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version {int} PRIMARY KEY, name TEXT NOT NULL, applied_at {real} NOT NULL)",
                    dialect))
            let done = Set(
                try await db.raw("SELECT version FROM schema_migrations").all().map {
                    try $0.decode(column: "version", as: Int.self)
                })
            var applied: [Int] = []
            for m in Schema.migrations where !done.contains(m.version) {
                let extra = dialect == .sqlite ? m.sqliteOnly : m.postgresOnly
                for sql in m.statements + extra {
                    try await exec(db, Schema.render(sql, dialect))
                }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: m.version), \(bind: m.name), \(bind: Date().timeIntervalSince1970))"
                ).run()
                applied.append(m.version)
            }
            return applied
        }
    }
}
