extension Migration {
    /// 21: the inbox sorts by priority and by waiting time, and filters by priority.
    static let v21TheInboxSortsByPriorityAndByWaitingTimeAndFiltersByPriority = Migration(
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
        ])
}
