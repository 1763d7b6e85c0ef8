import AsyncHTTPClient
import Foundation
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore

/// Liking and hiding public comments on Facebook and Instagram. Hiding is for spam only,
/// with the reason recorded and audited: hiding a complaint hides the shop's answer too,
/// and customers notice. Nothing is ever deleted from Kotae.
struct ModerationController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("messages/:id/like", use: like)
        group.post("messages/:id/hide", use: hide)
    }

    struct HideInput: Decodable { let reason: String }

    private func comment(_ context: AppRequestContext) async throws -> (Message, String, String) {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let m = try await app.store.message(id: id), m.kind == .inbound,
            let kind = ExternalIDKind.of(m.externalId), kind.isModeratable, let commentId = kind.platformID(of: m.externalId)
        else {
            throw APIError.notFound("Facebook or Instagram comment")
        }
        guard let token = try await MetaSettings.Credentials.load(inboxId: m.inboxId, from: app.store)?.token else {
            throw APIError.conflict("this inbox has no access token; set one in the inbox settings")
        }
        return (m, commentId, token)
    }

    private var graph: GraphClient { GraphClient(http: HTTPClient.shared, base: app.config.graphAPIBase) }

    private func check(_ result: Result<GraphClient.Sent, GraphError>) throws {
        guard case .failure(let e) = result else { return }
        if e.throttled {
            // Meta's estimate is bounded to a day where it is read (GraphUsage).
            let wait = e.regainAccessAfter.map { "about \(Int(($0 / 60).rounded(.up))) min" } ?? "a few minutes"
            var limited = APIError(
                .tooManyRequests, code: "platform_rate_limited",
                detail: "Facebook is limiting this page's calls: try again in \(wait). \(e.description)")
            limited.headers[.retryAfter] = String(Int(e.regainAccessAfter ?? 300))
            throw limited
        }
        throw APIError(.badGateway, code: "platform_error", detail: e.description)
    }

    func like(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (m, commentId, token) = try await comment(context)
        try check(await graph.like(commentId: commentId, token: token))
        try await app.store.markLiked(messageId: m.id, actor: user.id)
        app.hub.publish(.messageUpdated(m.conversationId, message: m.id, inbox: m.inboxId))
        return Response(status: .noContent)
    }

    func hide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let input = try await app.body.decode(HideInput.self, from: request)
        guard input.reason == "spam" else {
            throw APIError.invalid("reason", "hiding is for spam only: answer criticism in public, or take it to a private reply")
        }
        let (m, commentId, token) = try await comment(context)
        try check(await graph.hide(commentId: commentId, token: token))
        try await app.store.markHidden(messageId: m.id, reason: input.reason, actor: user.id)
        app.hub.publish(.messageUpdated(m.conversationId, message: m.id, inbox: m.inboxId))
        return Response(status: .noContent)
    }
}
