extension Migration {
    /// 2: teams and inboxes.
    static let v02TeamsAndInboxes = Migration(
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
        ])
}
