import Foundation
import Hummingbird
import HTTPTypes
import KotaeCore
import KotaeStore
import Logging

/// Finds the caller: `Authorization: Bearer <API token>` or the session cookie.
/// Cookie-authenticated changes must carry the session's CSRF token in `X-CSRF-Token`.
/// It also gives the context the configured body limit (the request context is made by
/// Hummingbird and knows no configuration of its own; one middleware fewer per request).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: KotaeStore
    let maxBodyBytes: Int
    static let cookieName = "kotae_session"

    /// Who sent `request`: the API token's user, else the session's (with its CSRF token).
    /// Throws 401 when an Authorization header names no valid token.
    static func caller(of request: Request, store: KotaeStore) async throws -> (user: User, csrf: String?)? {
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer "), let user = try await store.accounts.userForAPIToken(String(auth.dropFirst(7))) else {
                throw APIError.unauthorized("the API token is not valid")
            }
            return (user, nil)
        }
        guard let token = request.cookies[cookieName]?.value, let session = try await store.accounts.session(token: token) else { return nil }
        return (session.user, session.csrfToken)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodyBytes
        if let (user, csrf) = try await Self.caller(of: request, store: store) {
            context.identity = user
            context.sessionCSRF = csrf
        }
        if let csrf = context.sessionCSRF {
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[HTTPField.Name("X-CSRF-Token")!],
                    constantTimeEquals(sent, csrf)
                else {
                    throw APIError(.forbidden, code: "csrf_failed", detail: "send the X-CSRF-Token header of your session")
                }
            }
        }
        return try await next(request, context)
    }
}

/// Browsers must not guess a content type other than the one given (an attachment shown as
/// a page would run a customer's script).
struct NoSniffMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        return response
    }
}
