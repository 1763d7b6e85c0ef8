import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

extension AppServices {
    var replyCheck: ReplyCheckService { ReplyCheckService(store: store, commerce: commerce, clock: clock) }
}

/// `POST /api/v1/conversations/{id}/reply-check`: what the reply checker says of a draft, each
/// warning explained in the agent's language. Asked by the composer before it sends.
struct ReplyCheckController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("conversations/:id/reply-check", use: check)
    }

    struct Draft: Decodable {
        let text: String
        /// How many files go with it.
        let attachments: Int?
    }

    struct Warning: Encodable {
        let kind: ReplyIssue.Kind
        let evidence: String
        /// Sending is refused (a forbidden word); the rest can be overridden.
        let blocks: Bool
        let message: String
    }

    struct Out: Encodable { let issues: [Warning] }

    func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let draft = try await request.decode(as: Draft.self, context: context)
        guard draft.text.count <= 100_000 else { throw APIError.invalid("text", "at most 100,000 characters can be checked") }
        guard let c = try await app.store.conversations.conversation(id: id) else { throw APIError.notFound("conversation") }
        let issues = try await app.replyCheck.check(draft.text, conversation: c, attachments: max(0, draft.attachments ?? 0))
        let language = user.locale == "ja" ? "ja" : "en"
        return try context.json(Out(issues: issues.map { Self.warning($0, language) }), request)
    }

    static func warning(_ issue: ReplyIssue, _ language: String) -> Warning {
        Warning(
            kind: issue.kind, evidence: issue.evidence, blocks: issue.blocks,
            message: WebStrings.text("rc_" + issue.kind.rawValue, language, ["evidence": issue.evidence]))
    }
}
