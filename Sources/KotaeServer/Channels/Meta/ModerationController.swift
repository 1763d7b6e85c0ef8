import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeChannels
import KotaeCore
import KotaeStore

/// Liking and hiding public comments on Facebook and Instagram. Hiding is for spam only,
/// with the reason recorded and audited: hiding a complaint hides the shop's answer too,
/// and customers notice. Nothing is ever deleted from Kotae.
struct ModerationController {
    let app: AppServices
    let moderation: Moderation

    init(app: AppServices) {
        self.app = app
        moderation = Moderation(store: app.store, hub: app.hub, graph: GraphClient(http: HTTPClient.shared, base: app.config.graphAPIBase))
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("messages/:id/like", use: like)
        group.post("messages/:id/hide", use: hide)
    }

    struct HideInput: Decodable { let reason: String }

    func like(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        return try await answer {
            try await moderation.like(try await moderation.comment(try context.parameters.require("id", as: Int64.self)), actor: user.id)
        }
    }

    func hide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: HideInput.self, context: context)
        guard input.reason == "spam" else {
            throw APIError.invalid("reason", "hiding is for spam only: answer criticism in public, or take it to a private reply")
        }
        return try await answer {
            let comment = try await moderation.comment(try context.parameters.require("id", as: Int64.self))
            try await moderation.hide(comment, reason: input.reason, actor: user.id)
        }
    }

    /// 204 when done; what went wrong, as the API says it.
    private func answer(_ act: () async throws -> Void) async throws -> Response {
        do {
            try await act()
            return Response(status: .noContent)
        } catch Moderation.Problem.notAComment {
            throw APIError.notFound("Facebook or Instagram comment")
        } catch Moderation.Problem.noToken {
            throw APIError.conflict("this inbox has no access token; set one in the inbox settings")
        } catch Moderation.Problem.platform(let e) where e.throttled {
            // Meta's estimate is bounded to a day where it is read (GraphUsage).
            let wait = e.regainAccessAfter.map { "about \(Int(($0 / 60).rounded(.up))) min" } ?? "a few minutes"
            var limited = APIError(
                .tooManyRequests, code: "platform_rate_limited",
                detail: "Facebook is limiting this page's calls: try again in \(wait). \(e.description)")
            limited.headers[.retryAfter] = String(Int(e.regainAccessAfter ?? 300))
            throw limited
        } catch Moderation.Problem.platform(let e) {
            throw APIError(.badGateway, code: "platform_error", detail: e.description)
        }
    }
}
