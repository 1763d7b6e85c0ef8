import Foundation
import KotaeCore
import SQLKit

/// Who may sign in and how: users, their sessions (cookie) and API tokens. Only hashes of
/// passwords, session tokens and API tokens are stored.
public struct Accounts: Sendable {
    let db: KotaeDatabase

    static let userColumns = "id, email, name, role, locale, time_zone, disabled, created_at"

    static func user(_ r: any SQLRow) throws -> User {
        User(
            id: try r.int("id"), email: try r.string("email"), name: try r.string("name"),
            role: try r.enumValue("role", UserRole.self), locale: try r.string("locale"),
            timeZone: try r.string("time_zone"), disabled: try r.bool("disabled"), createdAt: try r.date("created_at"))
    }

    /// Creates a user; `passwordHash` is a bcrypt hash made by the caller.
    public func createUser(
        email: String, name: String, role: UserRole, passwordHash: String,
        locale: String = "ja", timeZone: String = "Asia/Tokyo"
    ) async throws -> User {
        let email = email.lowercased()
        return try await db.write { db in
            let exists = try await db.raw("SELECT id FROM users WHERE email = \(bind: email)").first()
            if exists != nil { throw StoreError.conflict("a user with email \(email) exists") }
            let row = try await db.raw(
                """
                INSERT INTO users (email, name, role, password_hash, locale, time_zone, created_at)
                VALUES (\(bind: email), \(bind: name), \(bind: role.rawValue), \(bind: passwordHash), \(bind: locale), \(bind: timeZone), \(bind: Date().epoch))
                RETURNING \(unsafeRaw: Self.userColumns)
                """
            ).first()
            return try Self.user(row!)
        }
    }

    public func users() async throws -> [User] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY id").all().map(Self.user)
        }
    }

    public func user(id: ID) async throws -> User? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first().map(Self.user)
        }
    }

    /// The user and their password hash, for sign-in.
    public func userForLogin(email: String) async throws -> (User, String)? {
        try await db.read { db in
            guard
                let r = try await db.raw("SELECT \(unsafeRaw: Self.userColumns), password_hash FROM users WHERE email = \(bind: email.lowercased())")
                    .first()
            else { return nil }
            return (try Self.user(r), try r.string("password_hash"))
        }
    }

    public func userCount() async throws -> Int {
        try await db.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM users").first()!.int("n"))
        }
    }

    public func setPassword(userId: ID, passwordHash: String) async throws {
        try await db.write { db in
            let rows = try await db.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userId) RETURNING id").all()
            if rows.isEmpty { throw StoreError.notFound("user") }
            // A new password signs out every session of the old one and revokes its API tokens.
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId)").run()
            try await self.revokeAllTokens(db, userId: userId)
        }
    }

    public func updateUser(id: ID, name: String?, role: UserRole?, disabled: Bool?, locale: String?, timeZone: String?) async throws -> User {
        try await db.write { db in
            guard let r = try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first() else {
                throw StoreError.notFound("user")
            }
            var u = try Self.user(r)
            if let name { u.name = name }
            if let role { u.role = role }
            if let disabled { u.disabled = disabled }
            if let locale { u.locale = locale }
            if let timeZone { u.timeZone = timeZone }
            try await db.raw(
                """
                UPDATE users SET name = \(bind: u.name), role = \(bind: u.role.rawValue), disabled = \(bind: Int64(u.disabled ? 1 : 0)),
                locale = \(bind: u.locale), time_zone = \(bind: u.timeZone) WHERE id = \(bind: id)
                """
            ).run()
            if u.disabled {
                // Disabling ends everything: re-enabling later revives nothing.
                try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
                try await self.revokeAllTokens(db, userId: id)
            }
            return u
        }
    }

    // MARK: Sessions and API tokens (only hashes are stored)

    public struct SessionInfo: Sendable {
        public let user: User
        public let csrfToken: String
    }

    /// Starts a session; returns the cookie token and its CSRF token.
    public func createSession(userId: ID, lifetime: TimeInterval = 14 * 86400) async throws -> (token: String, csrf: String) {
        let token = TokenHash.newToken()
        let csrf = TokenHash.newToken()
        let now = Date()
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: TokenHash.of(token)), \(bind: userId), \(bind: csrf), \(bind: now.epoch), \(bind: now.epoch + lifetime))
                """
            ).run()
        }
        return (token, csrf)
    }

    public func session(token: String) async throws -> SessionInfo? {
        try await db.read { db in
            guard
                let r = try await db.raw(
                    """
                    SELECT u.id, u.email, u.name, u.role, u.locale, u.time_zone, u.disabled, u.created_at, s.csrf_token
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: TokenHash.of(token)) AND s.expires_at > \(bind: Date().epoch) AND u.disabled = 0
                    """
                ).first()
            else { return nil }
            return SessionInfo(user: try Self.user(r), csrfToken: try r.string("csrf_token"))
        }
    }

    public func deleteSession(token: String) async throws {
        try await db.write { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: TokenHash.of(token))").run()
        }
    }

    /// Issues an API token for a user; the plain token is shown once.
    public func createAPIToken(userId: ID, name: String, expiresAt: Date? = nil) async throws -> (token: String, info: APIToken) {
        let token = TokenHash.newToken(prefix: "kt_")
        let row = try await db.write { db in
            try await db.raw(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
                VALUES (\(bind: userId), \(bind: name), \(bind: TokenHash.of(token)), \(bind: Date().epoch), \(bind: expiresAt.epoch))
                RETURNING \(unsafeRaw: Self.tokenColumns)
                """
            ).first()!
        }
        return (token, try Self.apiToken(row))
    }

    static let tokenColumns = "id, user_id, name, created_at, last_used_at, expires_at, revoked_at"

    static func apiToken(_ r: any SQLRow) throws -> APIToken {
        APIToken(
            id: try r.int("id"), userId: try r.int("user_id"), name: try r.string("name"), createdAt: try r.date("created_at"),
            lastUsedAt: try r.dateOpt("last_used_at"), expiresAt: try r.dateOpt("expires_at"), revokedAt: try r.dateOpt("revoked_at"))
    }

    /// A user's tokens, newest first, revoked ones included (what was used when stays visible).
    public func apiTokens(userId: ID) async throws -> [APIToken] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens WHERE user_id = \(bind: userId) ORDER BY id DESC").all().map(
                Self.apiToken)
        }
    }

    /// Revokes one token (of `ownerId` when given); the user it belonged to, or nil when
    /// there is no such live token.
    public func revokeAPIToken(id: ID, ownerId: ID?) async throws -> ID? {
        try await db.write { db in
            var sql = SQLQueryString("UPDATE api_tokens SET revoked_at = \(bind: Date().epoch) WHERE id = \(bind: id) AND revoked_at IS NULL")
            if let ownerId { sql.appendInterpolation(unsafeRaw: " AND user_id = "); sql.appendInterpolation(bind: ownerId) }
            sql.appendInterpolation(unsafeRaw: " RETURNING user_id")
            return try await db.raw(sql).first()?.int("user_id")
        }
    }

    func revokeAllTokens(_ db: any SQLDatabase, userId: ID) async throws {
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: Date().epoch) WHERE user_id = \(bind: userId) AND revoked_at IS NULL").run()
    }

    /// The user behind a live token: not revoked, not expired, the user not disabled.
    /// Its last use is recorded at most once a minute, so reads stay reads.
    public func userForAPIToken(_ token: String, now: Date = Date()) async throws -> User? {
        let found: (User, ID, Date?)? = try await db.read { db in
            guard
                let r = try await db.raw(
                    """
                    SELECT u.id, u.email, u.name, u.role, u.locale, u.time_zone, u.disabled, u.created_at, t.id AS token_id, t.last_used_at
                    FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = \(bind: TokenHash.of(token)) AND u.disabled = 0 AND t.revoked_at IS NULL
                      AND (t.expires_at IS NULL OR t.expires_at > \(bind: now.epoch))
                    """
                ).first()
            else { return nil }
            return (try Self.user(r), try r.int("token_id"), try r.dateOpt("last_used_at"))
        }
        guard let (user, tokenId, lastUsed) = found else { return nil }
        if lastUsed.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await db.write { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now.epoch) WHERE id = \(bind: tokenId)").run()
            }
        }
        return user
    }

    /// Creates the first admin and claims the one-time set-up token in one transaction:
    /// nil when the token is wrong, already used, or a user exists.
    public func createFirstAdmin(setupTokenHash: String, email: String, name: String, passwordHash: String) async throws -> User? {
        try await db.write { db in
            // Deleting the matching row is the claim: of two racing transactions one deletes it.
            guard
                try await db.raw(
                    """
                    DELETE FROM settings WHERE key = 'setup_token_hash' AND value = \(bind: setupTokenHash) RETURNING key
                    """
                ).first() != nil
            else { return nil }
            guard try await db.raw("SELECT id FROM users LIMIT 1").first() == nil else { return nil }
            let row = try await db.raw(
                """
                INSERT INTO users (email, name, role, password_hash, locale, time_zone, created_at)
                VALUES (\(bind: email.lowercased()), \(bind: name), 'admin', \(bind: passwordHash), 'ja', 'Asia/Tokyo', \(bind: Date().epoch))
                RETURNING \(unsafeRaw: Self.userColumns)
                """
            ).first()
            return try row.map(Self.user)
        }
    }
}
