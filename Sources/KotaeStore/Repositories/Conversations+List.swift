import Foundation
import KotaeCore
import SQLKit

extension Conversations {
    /// The inbox list: one indexed range scan for the default views, labels fetched for the page only.
    public func listConversations(_ q: ConversationQuery, now: Date = Date()) async throws -> ConversationPage {
        let finalSQL = conversationListSQL(q, now: now, columns: Self.conversationColumns)
        return try await db.read { db in
            let rows = try await db.raw(finalSQL).all()
            let pageRows = rows.prefix(q.limit)
            var labels: [ID: [String]] = [:]
            let ids = try pageRows.map { try $0.int("id") }
            if !ids.isEmpty {
                var lq = SQLQueryString("SELECT conversation_id, label FROM conversation_labels WHERE conversation_id IN ")
                lq.appendBoundList(ids)
                lq.appendLiteral(" ORDER BY label")
                for r in try await db.raw(lq).all() { labels[try r.int("conversation_id"), default: []].append(try r.string("label")) }
            }
            let conversations = try pageRows.map { try Self.conversation($0, labels: labels[try $0.int("id")] ?? []) }
            var next: ConversationQuery.Cursor?
            if rows.count > q.limit, let last = conversations.last {
                let value: Double =
                    switch q.sort {
                    case .slaDue: Self.slaSort(last.clock)
                    case .newest: last.lastMessageAt.epoch
                    case .longestWaiting: Self.waitSort(last.clock)
                    case .priority: Self.prioritySort(last)
                    }
                next = .init(value: value, id: last.id)
            }
            return ConversationPage(conversations: conversations, nextCursor: next)
        }
    }

    /// The inbox query: one indexed range scan for the default views; `limit + 1` rows.
    /// Unordered (for counting) it leaves the planner free to take the cheapest scan: with
    /// ORDER BY, a per-channel count over a million rows sorted them all (seconds).
    ///
    /// A label view in due order (and a label count) is driven from the label's own rows,
    /// which carry their conversation's status and due time (migration 12): a label whose
    /// conversations are mostly resolved otherwise meant walking the whole open queue.
    func conversationListSQL(_ q: ConversationQuery, now: Date, columns: String, ordered: Bool = true) -> SQLQueryString {
        let byLabel = q.label != nil && (!ordered || q.sort == .slaDue)
        // One person's list in another order: read from their own index, then sorted (below).
        let personalOrder: Bool = if case .user = q.assignee, ordered, q.sort != .slaDue { true } else { false }
        var sql: SQLQueryString
        if byLabel, let label = q.label {
            // CROSS JOIN keeps SQLite's loop order: the label's rows outside, conversations inside.
            sql = SQLQueryString("SELECT \(unsafeRaw: columns) FROM conversation_labels l CROSS JOIN \(unsafeRaw: Self.conversationFrom) ")
            sql.appendLiteral("WHERE c.id = l.conversation_id AND l.label = ")
            sql.appendInterpolation(bind: label)
            sql.appendLiteral(" AND l.status IN ")
            sql.appendBoundList(q.statuses.map(\.rawValue))
        } else if personalOrder {
            // One person's list in another order: from their own index, then sorted. Left
            // free, SQLite walks the whole queue in that order looking for their rows (0.7 s
            // at 1M); CROSS JOIN keeps conversations the outer loop, and the sort term below
            // is written `+column` so that its index is not taken for the order.
            sql = SQLQueryString(
                """
                SELECT \(unsafeRaw: columns) FROM conversations c CROSS JOIN inboxes i JOIN contacts ct ON ct.id = c.contact_id
                WHERE i.id = c.inbox_id AND c.status IN
                """)
            sql.appendBoundList(q.statuses.map(\.rawValue))
        } else if Set(q.statuses) == Set(ConversationStatus.allCases) {
            // Every status (the Unanswered and Failed to send views): no condition, so the
            // planner is free to take the view's own index rather than a status range.
            sql = SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: Self.conversationFrom) WHERE 1 = 1")
        } else {
            sql = SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: Self.conversationFrom) WHERE c.status IN ")
            sql.appendBoundList(q.statuses.map(\.rawValue))
        }
        if let inbox = q.inboxId { sql.appendLiteral(" AND c.inbox_id = "); sql.appendInterpolation(bind: inbox) }
        if let channel = q.channel {
            // As a set of inboxes, not a join condition: filtering the joined inbox made the
            // planner walk each inbox's rows and sort them all (2.8 s for a 500k channel).
            sql.appendLiteral(" AND c.inbox_id IN (SELECT id FROM inboxes WHERE channel = ")
            sql.appendInterpolation(bind: channel.rawValue)
            sql.appendLiteral(")")
        }
        switch q.assignee {
        case .user(let id): sql.appendLiteral(" AND c.assignee_id = "); sql.appendInterpolation(bind: id)
        case .unassigned: sql.appendLiteral(" AND c.assignee_id IS NULL")
        case nil: break
        }
        if let team = q.teamId { sql.appendLiteral(" AND c.team_id = "); sql.appendInterpolation(bind: team) }
        if let label = q.label, !byLabel {
            sql.appendLiteral(" AND EXISTS (SELECT 1 FROM conversation_labels l WHERE l.conversation_id = c.id AND l.label = ")
            sql.appendInterpolation(bind: label)
            sql.appendLiteral(")")
        }
        switch q.sla {
        case .breached:
            sql.appendLiteral(" AND c.sla_sort <= "); sql.appendInterpolation(bind: now.epoch)
        case .dueSoon:
            sql.appendLiteral(" AND c.sla_sort > "); sql.appendInterpolation(bind: now.epoch)
            sql.appendLiteral(" AND c.sla_warn_at <= "); sql.appendInterpolation(bind: now.epoch)
        case nil: break
        }
        if q.unanswered { sql.appendLiteral(" AND c.needs_reply = 1") }
        // As a set of ids from the partial index: a plain condition left SQLite's planner
        // walking each inbox's conversations for the count (80 ms at 1M; the set is small).
        if q.sendFailed { sql.appendLiteral(" AND c.id IN (SELECT id FROM conversations WHERE reply_failed_at IS NOT NULL)") }
        if !q.priorities.isEmpty {
            sql.appendLiteral(" AND c.priority IN ")
            sql.appendBoundList(q.priorities.map(\.rawValue))
        }
        if q.publicOnly { sql.appendLiteral(" AND c.is_public = 1") }
        if !q.intents.isEmpty {
            sql.appendLiteral(" AND c.intent IN ")
            sql.appendBoundList(q.intents.map(\.rawValue))
        }
        if q.urgentOnly { sql.appendLiteral(" AND c.urgent = 1") }
        // From the partial index of held replies: few, whatever the size of the inbox.
        if q.awaitingApproval {
            sql.appendLiteral(" AND c.id IN (SELECT conversation_id FROM messages WHERE delivery_state = 'awaiting_approval')")
        }
        if let text = q.text, !text.isEmpty {
            sql.appendLiteral(" AND c.id IN (SELECT m.conversation_id FROM messages m WHERE m.id IN (")
            sql.appendInterpolation(KotaeStore.searchSubquery(text, limit: 2000, dialect: dialect))
            sql.appendLiteral("))")
        }
        if ordered {
            let (sortColumn, ascending): (String, Bool) =
                switch q.sort {
                case .slaDue: byLabel ? ("l.sla_sort", true) : ("c.sla_sort", true)
                case .newest: ("c.last_message_at", false)
                case .longestWaiting: ("c.wait_sort", true)
                case .priority: ("c.priority_sort", true)
                }
            let idColumn = byLabel ? "l.conversation_id" : "c.id"
            if let cursor = q.cursor {
                sql.appendLiteral(" AND (\(sortColumn), \(idColumn)) \(ascending ? ">" : "<") (")
                sql.appendInterpolation(bind: cursor.value)
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: cursor.id)
                sql.appendLiteral(")")
            }
            let dir = ascending ? "ASC" : "DESC"
            sql.appendLiteral(" ORDER BY \(personalOrder ? "+" : "")\(sortColumn) \(dir), \(idColumn) \(dir) LIMIT ")
        } else {
            sql.appendLiteral(" LIMIT ")
        }
        sql.appendInterpolation(bind: q.limit + 1)
        return sql
    }

    /// Conversations waiting for an answer, per channel ("nobody ignored").
    public func unansweredCounts() async throws -> [ChannelKind: Int] {
        try await db.read { db in
            var out: [ChannelKind: Int] = [:]
            for r in try await db.raw(
                """
                SELECT i.channel, COUNT(*) AS n FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
                WHERE c.needs_reply = 1 GROUP BY i.channel
                """
            ).all() {
                if let k = ChannelKind(rawValue: try r.string("channel")) { out[k] = Int(try r.int("n")) }
            }
            return out
        }
    }

    /// Open conversations whose target has passed (for /metrics).
    public func breachedCount(now: Date = Date()) async throws -> Int {
        try await db.read { db in
            Int(
                try await db.raw("SELECT COUNT(*) AS n FROM conversations WHERE status IN ('open', 'snoozed') AND sla_sort <= \(bind: now.epoch)")
                    .first()!.int("n"))
        }
    }
}
