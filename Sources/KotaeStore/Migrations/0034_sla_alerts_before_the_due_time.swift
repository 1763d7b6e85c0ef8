extension Migration {
    /// 34: SLA warnings before the due time and at the breach. The scan reads conversations by
    /// due time (an index of those with one); each conversation keeps the chat thread its
    /// alerts go to, where the receiver gave one.
    static let v34SLAAlertsBeforeTheDueTime = Migration(
        version: 34, name: "sla alerts before the due time",
        statements: [
            "CREATE INDEX conversations_by_sla_due ON conversations (sla_due_at) WHERE sla_due_at IS NOT NULL",
            """
            CREATE TABLE sla_alert_threads (
              conversation_id {int} PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE, thread TEXT NOT NULL,
              updated_at {real} NOT NULL)
            """,
        ])
}
