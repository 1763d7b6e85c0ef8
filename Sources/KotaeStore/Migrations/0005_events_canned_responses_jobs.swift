extension Migration {
    /// 5: events, canned responses, jobs.
    static let v05EventsCannedResponsesJobs = Migration(
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
        ])
}
