extension Migration {
    /// 29: satisfaction surveys, one per resolution.
    static let v29SatisfactionSurveysOnePerResolution = Migration(
        version: 29, name: "satisfaction surveys one per resolution",
        statements: [
            """
            CREATE TABLE csat_surveys (
              id {id},
              conversation_id {int} NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              resolved_by {int} REFERENCES users(id),
              resolved_at {real} NOT NULL,
              state TEXT NOT NULL, due_at {real} NOT NULL,
              rating {int}, comment TEXT, note TEXT, answered_at {real},
              UNIQUE (conversation_id, resolved_at))
            """,
            "CREATE INDEX csat_surveys_due ON csat_surveys (state, due_at)",
        ])
}
