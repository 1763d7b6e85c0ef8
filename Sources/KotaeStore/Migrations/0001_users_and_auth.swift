extension Migration {
    /// 1: users and auth.
    static let v01UsersAndAuth = Migration(
        version: 1, name: "users and auth",
        statements: [
            """
            CREATE TABLE users (id {id}, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
              role TEXT NOT NULL, password_hash TEXT NOT NULL, locale TEXT NOT NULL DEFAULT 'ja',
              time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo', disabled {int} NOT NULL DEFAULT 0,
              created_at {real} NOT NULL)
            """,
            """
            CREATE TABLE sessions (id {id}, token_hash TEXT NOT NULL UNIQUE,
              user_id {int} NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
              created_at {real} NOT NULL, expires_at {real} NOT NULL)
            """,
            """
            CREATE TABLE api_tokens (id {id}, user_id {int} NOT NULL REFERENCES users(id),
              name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at {real} NOT NULL,
              last_used_at {real})
            """,
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ])
}
