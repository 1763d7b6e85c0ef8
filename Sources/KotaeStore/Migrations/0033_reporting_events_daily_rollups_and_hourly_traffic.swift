extension Migration {
    /// 33: reports. Each fact as it happened (`report_events`, with its calendar and business
    /// value and the schedule used), daily rollups per inbox, agent, team and label in the
    /// shop's time zone, each also by inbox so a channel or inbox narrows any of them
    /// (`report_rollups`, each day's exact values as appendable text), and
    /// hourly traffic per inbox in UTC hours, which any time zone can read
    /// (`report_traffic`: incoming messages, new conversations, and the changes in waiting
    /// customers and unresolved conversations). On SQLite the rollups are kept in key order, so a
    /// year of one metric is read in sequence. The clock learns when a customer was last
    /// answered and where a cycle's first response counts from.
    static let v33Reports = Migration(
        version: 33, name: "reporting events, daily rollups and hourly traffic",
        statements: [
            "ALTER TABLE conversations ADD COLUMN last_answered_at {real}",
            "ALTER TABLE conversations ADD COLUMN response_window_since {real}",
            "UPDATE conversations SET response_window_since = cycle_started_at WHERE first_responded_at IS NULL",
            """
            CREATE TABLE report_events (
              id {id}, conversation_id {int} NOT NULL, metric TEXT NOT NULL, at {real} NOT NULL, day {int} NOT NULL,
              inbox_id {int} NOT NULL, agent_id {int}, team_id {int}, labels TEXT NOT NULL DEFAULT '',
              seconds {real}, business_seconds {real}, schedule TEXT)
            """,
            "CREATE INDEX report_events_by_day ON report_events (metric, day)",
            "CREATE INDEX report_events_by_conversation ON report_events (conversation_id, metric)",
            """
            CREATE TABLE report_rollups (
              dimension TEXT NOT NULL, metric TEXT NOT NULL, day {int} NOT NULL, dimension_id {int} NOT NULL, inbox_id {int} NOT NULL,
              count {int} NOT NULL DEFAULT 0, vals TEXT NOT NULL DEFAULT '', bvals TEXT NOT NULL DEFAULT '',
              minus_vals TEXT NOT NULL DEFAULT '', minus_bvals TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (dimension, metric, day, dimension_id, inbox_id)) {clustered}
            """,
            """
            CREATE TABLE report_traffic (
              hour {int} NOT NULL, inbox_id {int} NOT NULL, incoming {int} NOT NULL DEFAULT 0, created {int} NOT NULL DEFAULT 0,
              unanswered {int} NOT NULL DEFAULT 0, backlog {int} NOT NULL DEFAULT 0, PRIMARY KEY (hour, inbox_id))
            """,
            "CREATE TABLE report_schedules (key TEXT PRIMARY KEY, hours TEXT NOT NULL)",
        ])
}
