import Foundation
import Hummingbird
import HTTPTypes
import KotaeCore
import KotaeStore
import Logging

/// Finds the caller: `Authorization: Bearer <API token>` or the session cookie.
/// Cookie-authenticated changes must carry the session's CSRF token in `X-CSRF-Token`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: KotaeStore
    /// The API refuses strangers here; the UI's pages redirect them to the sign-in page themselves.
    var requireUser = true
    static let cookieName = "kotae_session"

    /// Who sent `request`: the API token's user, else the session's (with its CSRF token).
    /// Throws 401 when an Authorization header names no valid token.
    static func caller(of request: Request, store: KotaeStore) async throws -> (user: User, csrf: String?)? {
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer "), let user = try await store.userForAPIToken(String(auth.dropFirst(7))) else {
                throw APIError.unauthorized("the API token is not valid")
            }
            return (user, nil)
        }
        guard let token = request.cookies[cookieName]?.value, let session = try await store.session(token: token) else { return nil }
        return (session.user, session.csrfToken)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let (user, csrf) = try await Self.caller(of: request, store: store) {
            context.user = user
            context.sessionCSRF = csrf
        }
        if let csrf = context.sessionCSRF {
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[HTTPField.Name("X-CSRF-Token")!],
                      constantTimeEquals(sent, csrf) else {
                    throw APIError(.forbidden, code: "csrf_failed", detail: "send the X-CSRF-Token header of your session")
                }
            }
        }
        // Authenticate before anything reads the body: a stranger gets 401, never a 400 or
        // 422 that tells them what a valid request looks like.
        if requireUser && context.user == nil && !Self.isPublic(request.uri.path) { throw APIError.unauthorized() }
        return try await next(request, context)
    }

    /// The API routes a stranger may call: signing in, first-run set-up, signing out.
    static let publicPaths: Set<String> = ["/api/v1/auth/login", "/api/v1/auth/setup", "/api/v1/auth/logout"]

    static func isPublic(_ path: String) -> Bool {
        publicPaths.contains(path.hasSuffix("/") ? String(path.dropLast()) : path)
    }
}

/// A request id on every log line, latency into /metrics, one log line per request.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: KotaeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.logger[metadataKey: "request_id"] = .string(String(UInt64.random(in: 0...UInt64.max), radix: 36))
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            finish(request, status: response.status, start: start, logger: context.logger)
            response.headers[.init("X-Content-Type-Options")!] = "nosniff"
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            finish(request, status: status, start: start, logger: context.logger)
            throw error
        }
    }

    private func finish(_ request: Request, status: HTTPResponse.Status, start: ContinuousClock.Instant, logger: Logger) {
        let elapsed = ContinuousClock.now - start
        metrics.requestDuration.record(elapsed)
        logger.debug("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(status.code), "ms": .stringConvertible(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000),
        ])
    }
}
