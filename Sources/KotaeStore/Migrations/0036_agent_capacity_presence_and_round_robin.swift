extension Migration {
    /// 36: automatic assignment: each agent's capacity (open conversations at most), when
    /// their desk was last seen open (any instance), and when they were last given one.
    static let v36AgentCapacityPresenceAndRoundRobin = Migration(
        version: 36, name: "agent capacity, presence and round robin",
        statements: [
            """
            CREATE TABLE agent_assignment (
              user_id {int} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, capacity {int}, seen_at {real}, last_assigned_at {real})
            """
        ])
}
