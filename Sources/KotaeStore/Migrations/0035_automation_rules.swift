extension Migration {
    /// 35: the shop's automation rules: a trigger, conditions and actions (typed, kept as JSON),
    /// in the order they run.
    static let v35AutomationRules = Migration(
        version: 35, name: "automation rules",
        statements: [
            """
            CREATE TABLE automation_rules (
              id {id}, name TEXT NOT NULL, enabled {int} NOT NULL DEFAULT 1, trigger TEXT NOT NULL, after_minutes {real},
              conditions TEXT NOT NULL, actions TEXT NOT NULL, created_at {real} NOT NULL, updated_at {real} NOT NULL)
            """
        ])
}
