extension Migration {
    /// 10: the unanswered queue in due order from one index.
    static let v10TheUnansweredQueueInDueOrderFromOneIndex = Migration(
        version: 10, name: "the unanswered queue in due order from one index",
        statements: [
            // The Unanswered view spans open, pending and snoozed; ordered by due time from
            // (needs_reply, inbox_id) it sorted every waiting conversation (0.5 s at 1M).
            // This index also serves the per-channel unanswered counts the old one served.
            "CREATE INDEX IF NOT EXISTS conversations_waiting ON conversations (needs_reply, sla_sort, id)",
            "DROP INDEX IF EXISTS conversations_unanswered",
        ])
}
