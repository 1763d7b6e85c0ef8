import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// An RFC 9457 problem: status, a stable machine code, a human sentence, and the field
/// at fault for validation errors. Raw internal errors never reach a client.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let detail: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, detail: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
    }

    public static func unauthorized(_ detail: String = "sign in or send an API token") -> APIError {
        APIError(.unauthorized, code: "unauthorized", detail: detail)
    }
    public static func forbidden(_ detail: String = "your role does not allow this") -> APIError {
        APIError(.forbidden, code: "forbidden", detail: detail)
    }
    public static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", detail: "\(what) not found") }
    public static func invalid(_ field: String, _ detail: String) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", detail: detail, field: field)
    }
    public static func badRequest(_ code: String, _ detail: String) -> APIError { APIError(.badRequest, code: code, detail: detail) }
    public static func conflict(_ detail: String) -> APIError { APIError(.conflict, code: "conflict", detail: detail) }

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let code: String
        let detail: String
        let field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: "https://kotae.dev/problems/\(code)", title: status.reasonPhrase, status: status.code,
            code: code, detail: detail, field: field)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps a store or domain error to a problem; nil for unexpected errors (which become 500).
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let e as APIError: return e
        case let e as StoreError:
            switch e.code {
            case .notFound: return APIError(.notFound, code: "not_found", detail: e.message)
            case .conflict: return APIError(.conflict, code: "conflict", detail: e.message)
            case .invalid:
                let field = e.message.split(separator: ":").first.map(String.init)
                return APIError(.unprocessableContent, code: "validation_failed", detail: e.message, field: field)
            }
        case let e as ConversationClock.RuleError:
            switch e {
            case .reasonRequired:
                return APIError(
                    .unprocessableContent, code: "reason_required",
                    detail: "the customer is still waiting for an answer: reply first, or give a reason for closing without one",
                    field: "reason")
            case .snoozeInPast: return .invalid("until", "snooze until a time in the future")
            case .snoozeNeedsTime: return .invalid("status", "use the snooze action with a time to snooze")
            }
        default: return nil
        }
    }
}

/// Turns known errors into problems and hides unknown ones behind a logged 500 problem.
/// A path that exists with other methods answers 405 with `Allow`; a full disk answers 503.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable
    let storage: StorageStatus
    /// The agent UI's error page for a browser's page request; nil leaves the problem JSON.
    var page: (@Sendable (APIError, Request) async -> Response?)? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await problems(request, context: context, next: next)
        } catch let problem as APIError {
            if Self.isPageRequest(request), let page, let html = await page(problem, request) { return html }
            throw ProblemText.localized(problem, language: ProblemText.language(request.headers[.acceptLanguage]))
        }
    }

    /// A browser asking for a page of the agent UI (API, webhooks and files keep their problems).
    static func isPageRequest(_ request: Request) -> Bool {
        let path = request.uri.path
        guard request.method == .get || request.method == .head,
            (request.headers[.accept] ?? "").contains("text/html")
        else { return false }
        return !["/api/", "/webhooks/", "/assets/", "/files/", "/health", "/metrics", "/openapi"].contains { path.hasPrefix($0) }
    }

    private func problems(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as HTTPError {
            if e.status == .notFound, let allowed = routes.methods(for: request.uri.path), !allowed.isEmpty {
                var problem = APIError(
                    .methodNotAllowed, code: "method_not_allowed",
                    detail: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))")
                problem.headers[.allow] = allowed.joined(separator: ", ")
                throw problem
            }
            // hummingbird-auth's refusals, said as the API says them.
            if e.status == .unauthorized { throw APIError.unauthorized() }
            if e.status == .forbidden { throw APIError.forbidden() }
            // Hummingbird's own errors (unknown route, body too large) as problems too.
            let code = e.status == .notFound ? "not_found" : e.status == .contentTooLarge ? "body_too_large" : "http_error"
            throw APIError(e.status, code: code, detail: e.body ?? e.status.reasonPhrase)
        } catch {
            if let problem = APIError.from(error) { throw problem }
            if StorageFull.matches(error) {
                storage.recordFull()
                context.logger.critical("storage full", metadata: ["error": "\(String(reflecting: error))"])
                var problem = APIError(
                    .serviceUnavailable, code: "storage_full",
                    detail: "the server's storage is full; nothing was stored. Try again once space is freed")
                problem.headers[.retryAfter] = "60"
                throw problem
            }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, code: "internal", detail: "something went wrong on the server; it is logged")
        }
    }
}
