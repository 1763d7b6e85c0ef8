import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeCore
import KotaeStore

/// Sign-in, sign-out, first-run admin set-up, password change, API tokens.
struct AuthController {
    let app: AppServices

    func addRoutes(to api: APIRouteGroups) {
        api.open.post("auth/login", use: login)
        api.open.post("auth/logout", use: logout)
        api.open.post("auth/setup", use: setup)
        api.signedIn.get("auth/me", use: me)
        api.signedIn.post("auth/password", use: changePassword)
        api.signedIn.get("auth/tokens", use: listTokens)
        api.signedIn.post("auth/tokens", use: createToken)
        api.signedIn.delete("auth/tokens/:id", use: revokeToken)
    }

    struct LoginInput: Decodable { let email: String; let password: String }
    struct SessionOut: Encodable { let user: User; let csrfToken: String }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: LoginInput.self, context: context)
        let client = context.remoteAddress?.ipAddress ?? "?"
        let account = "\(client)|\(input.email.lowercased())"
        // Two limits: one address and email (guessing one password), and one client across
        // every email (spraying a common password over many addresses).
        let wait = [await app.limits.loginPerAccount.blockedFor(account), await app.limits.loginPerClient.blockedFor(client)].compactMap { $0 }.max()
        if let wait {
            app.logger.warning("sign-in refused: too many failures", metadata: ["client": "\(client)"])
            var e = APIError(.tooManyRequests, code: "too_many_attempts", detail: "too many failed sign-ins; wait a few minutes")
            e.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            throw e
        }
        // An unknown address is checked against a dummy hash: the answer takes as long.
        let found = try await app.store.accounts.userForLogin(email: input.email)
        guard await app.verifyLogin(input.password, hash: found?.1), let (user, _) = found, !user.disabled else {
            await app.limits.loginPerAccount.record(account)
            await app.limits.loginPerClient.record(client)
            throw APIError.unauthorized("wrong email or password")
        }
        await app.limits.loginPerAccount.reset(account)
        return try await startSession(for: user, request, context: context)
    }

    func startSession(for user: User, _ request: Request, context: AppRequestContext) async throws -> Response {
        let (token, csrf) = try await app.store.accounts.createSession(userId: user.id)
        var response = try context.json(SessionOut(user: user, csrfToken: csrf), request)
        response.setCookie(
            .init(
                name: AuthMiddleware.cookieName, value: token, maxAge: 14 * 86400, path: "/",
                secure: app.config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value {
            // Live streams opened with this session close.
            try await app.accounts.signOut(session: token, user: context.identity?.id)
        }
        var response = Response(status: .noContent)
        response.setCookie(
            .init(
                name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                secure: app.config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    struct SetupInput: Decodable { let token: String; let email: String; let name: String; let password: String }

    /// The one-time link printed on first start creates the first admin.
    func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: SetupInput.self, context: context)
        return try await startSession(for: try await createFirstAdmin(input), request, context: context)
    }

    /// Creates the first admin if the one-time token is right and no user exists yet. The
    /// token is claimed in the same transaction that creates the admin, so two requests
    /// racing with it create one admin, not two.
    func createFirstAdmin(_ input: SetupInput) async throws -> User {
        try validatePassword(input.password)
        try validateEmail(input.email)
        try validateName(input.name)
        let closed = APIError(.forbidden, code: "setup_closed", detail: "this set-up link is not valid or was already used")
        guard try await app.store.accounts.userCount() == 0, try await app.store.setting("setup_token_hash") != nil else { throw closed }
        let hash = try await app.hashPassword(input.password)
        guard
            let user = try await app.store.accounts.createFirstAdmin(
                setupTokenHash: TokenHash.of(input.token), email: input.email,
                name: input.name, passwordHash: hash)
        else { throw closed }
        return user
    }

    func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(SessionOut(user: try context.requireIdentity(), csrfToken: context.sessionCSRF ?? ""), request)
    }

    struct PasswordInput: Decodable { let currentPassword: String; let newPassword: String }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: PasswordInput.self, context: context)
        guard let (_, hash) = try await app.store.accounts.userForLogin(email: user.email),
            await app.verifyPassword(input.currentPassword, hash: hash)
        else {
            throw APIError.invalid("currentPassword", "the current password is wrong")
        }
        try validatePassword(input.newPassword, field: "newPassword")
        // A new password ends every session and revokes every API token of the old one.
        try await app.accounts.setPassword(userId: user.id, passwordHash: try await app.hashPassword(input.newPassword))
        return Response(status: .noContent)
    }

    struct TokenInput: Decodable {
        let name: String
        /// Days until the token stops working; none = until revoked.
        let expiresInDays: Int?
    }
    struct TokenOut: Encodable { let token: String; let info: APIToken }
    struct TokenList: Encodable { let tokens: [APIToken] }

    /// The longest a token may be asked to live: ten years.
    static let maxTokenDays = 3650

    func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: TokenInput.self, context: context)
        try validateName(input.name)
        if let days = input.expiresInDays, !(1...Self.maxTokenDays).contains(days) {
            throw APIError.invalid("expiresInDays", "expiresInDays must be 1…\(Self.maxTokenDays)")
        }
        let expiry = input.expiresInDays.map { Date().addingTimeInterval(TimeInterval($0) * 86400) }
        let (token, info) = try await app.store.accounts.createAPIToken(
            userId: user.id, name: input.name.trimmingCharacters(in: .whitespaces), expiresAt: expiry)
        return try context.json(TokenOut(token: token, info: info), request, status: .created)
    }

    func listTokens(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        return try context.json(TokenList(tokens: try await app.store.accounts.apiTokens(userId: user.id)), request)
    }

    /// Revokes one of my tokens; an admin may revoke anyone's.
    func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        // A stream opened with this token closes now, not at its next check.
        guard try await app.accounts.revokeToken(id: id, ownerId: user.role == .admin ? nil : user.id) != nil else {
            throw APIError.notFound("API token")
        }
        return Response(status: .noContent)
    }
}

func validatePassword(_ p: String, field: String = "password") throws {
    if p.count < 8 { throw APIError.invalid(field, "\(field) must be at least 8 characters") }
    if p.utf8.count > 72 { throw APIError.invalid(field, "\(field) must be at most 72 bytes (bcrypt's limit)") }
}

func validateEmail(_ e: String, field: String = "email") throws {
    let parts = e.split(separator: "@", omittingEmptySubsequences: false)
    if e.count > 254 || parts.count != 2 || parts[0].isEmpty || parts[1].contains(where: \.isWhitespace) || !parts[1].contains(".") {
        throw APIError.invalid(field, "\(field) is not an email address")
    }
}

/// Names of users, teams, inboxes, labels and tokens: not blank, at most 200 characters.
/// Create and edit share it, and the OpenAPI document states the same (`Limits.name`).
func validateName(_ name: String, field: String = "name") throws {
    if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw APIError.invalid(field, "\(field) is empty") }
    if name.count > InputLimits.nameLength { throw APIError.invalid(field, "\(field) must be at most \(InputLimits.nameLength) characters") }
}

/// Limits the server enforces on what clients send; the OpenAPI document states them.
enum InputLimits {
    static let nameLength = 200
}
