import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// Sign-in, sign-out, first-run admin set-up, password change, API tokens.
struct AuthController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login", use: login)
        group.post("auth/logout", use: logout)
        group.post("auth/setup", use: setup)
        group.get("auth/me", use: me)
        group.post("auth/password", use: changePassword)
        group.post("auth/tokens", use: createToken)
    }

    struct LoginInput: Decodable { let email: String; let password: String }
    struct SessionOut: Encodable { let user: User; let csrfToken: String }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await app.body.decode(LoginInput.self, from: request)
        let key = "\(context.remoteAddress?.ipAddress ?? "?")|\(input.email.lowercased())"
        if await app.loginLimiter.isBlocked(key) {
            var e = APIError(.tooManyRequests, code: "too_many_attempts", detail: "too many failed sign-ins; wait a few minutes")
            e.headers[.retryAfter] = "300"
            throw e
        }
        guard let (user, hash) = try await app.store.userForLogin(email: input.email), !user.disabled,
              await app.verifyPassword(input.password, hash: hash) else {
            await app.loginLimiter.recordFailure(key)
            throw APIError.unauthorized("wrong email or password")
        }
        await app.loginLimiter.reset(key)
        return try await startSession(for: user)
    }

    func startSession(for user: User) async throws -> Response {
        let (token, csrf) = try await app.store.createSession(userId: user.id)
        var response = try JSONOut.response(SessionOut(user: user, csrfToken: csrf))
        response.setCookie(.init(name: AuthMiddleware.cookieName, value: token, maxAge: 14 * 86400, path: "/",
                                 secure: app.config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[AuthMiddleware.cookieName]?.value { try await app.store.deleteSession(token: token) }
        var response = Response(status: .noContent)
        response.setCookie(.init(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    struct SetupInput: Decodable { let token: String; let email: String; let name: String; let password: String }

    /// The one-time link printed on first start creates the first admin.
    func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await app.body.decode(SetupInput.self, from: request)
        return try await startSession(for: try await createFirstAdmin(input))
    }

    /// Creates the first admin if the one-time token is right and no user exists yet.
    func createFirstAdmin(_ input: SetupInput) async throws -> User {
        guard try await app.store.userCount() == 0, let expected = try await app.store.setting("setup_token_hash"),
              constantTimeEquals(TokenHash.of(input.token), expected) else {
            throw APIError(.forbidden, code: "setup_closed", detail: "this set-up link is not valid or was already used")
        }
        try validatePassword(input.password)
        try validateEmail(input.email)
        if input.name.trimmingCharacters(in: .whitespaces).isEmpty { throw APIError.invalid("name", "name is empty") }
        let user = try await app.store.createUser(email: input.email, name: input.name, role: .admin,
                                                  passwordHash: await app.hashPassword(input.password))
        try await app.store.setSetting("setup_token_hash", nil)
        return user
    }

    func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONOut.response(SessionOut(user: try context.requireUser(), csrfToken: context.sessionCSRF ?? ""))
    }

    struct PasswordInput: Decodable { let currentPassword: String; let newPassword: String }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let input = try await app.body.decode(PasswordInput.self, from: request)
        guard let (_, hash) = try await app.store.userForLogin(email: user.email),
              await app.verifyPassword(input.currentPassword, hash: hash) else {
            throw APIError.invalid("currentPassword", "the current password is wrong")
        }
        try validatePassword(input.newPassword, field: "newPassword")
        try await app.store.setPassword(userId: user.id, passwordHash: await app.hashPassword(input.newPassword))
        return Response(status: .noContent)
    }

    struct TokenInput: Decodable { let name: String }
    struct TokenOut: Encodable { let token: String }

    func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let input = try await app.body.decode(TokenInput.self, from: request)
        return try JSONOut.response(TokenOut(token: try await app.store.createAPIToken(userId: user.id, name: input.name)), status: .created)
    }
}

func validatePassword(_ p: String, field: String = "password") throws {
    if p.count < 8 { throw APIError.invalid(field, "\(field) must be at least 8 characters") }
    if p.utf8.count > 72 { throw APIError.invalid(field, "\(field) must be at most 72 bytes (bcrypt's limit)") }
}

func validateEmail(_ e: String, field: String = "email") throws {
    let parts = e.split(separator: "@")
    if parts.count != 2 || parts[1].contains(where: \.isWhitespace) || !parts[1].contains(".") {
        throw APIError.invalid(field, "\(field) is not an email address")
    }
}
