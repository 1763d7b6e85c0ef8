import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// 承認: `POST /api/v1/messages/{id}/approve` (as written, or with the supervisor's `text`)
/// and `POST /api/v1/messages/{id}/return` (差戻し, with a `comment`), for admins.
struct ApprovalController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("messages/:id/approve", use: approve)
        group.post("messages/:id/return", use: sendBack)
    }

    /// Whether a reply by `user` in `inbox` waits for approval (Settings → workspace).
    static func needed(for user: ID, inbox: ID, store: KotaeStore) async throws -> Bool {
        if try await store.ids(Conversations.approvalUsersSetting).contains(user) { return true }
        return try await store.ids(Conversations.approvalInboxesSetting).contains(inbox)
    }

    struct ApproveInput: Decodable { let text: String? }
    struct ReturnInput: Decodable { let comment: String }

    func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: ApproveInput.self, context: context)
        let text = input.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let text, text.isEmpty || text.count > 20_000 { throw APIError.invalid("text", "1 to 20,000 characters") }
        let (message, conversation) = try await app.conversations.approve(messageId: id, approver: user.id, text: text)
        return try context.json(
            ConversationController.MessageOut(message: message, conversation: ConversationOut(conversation, now: app.clock.now)), request)
    }

    func sendBack(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let comment = try await request.decode(as: ReturnInput.self, context: context).comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2_000).contains(comment.count) else { throw APIError.invalid("comment", "say why it goes back: 1 to 2,000 characters") }
        return try context.json(try await app.conversations.returnForChanges(messageId: id, reviewer: user.id, comment: comment), request)
    }
}
