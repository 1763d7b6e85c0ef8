import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeCore
import KotaeStore

/// An agent's own notifications: @mentions in notes and conversations assigned to them.
struct NotificationController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("notifications", use: list)
        group.post("notifications/read", use: markRead)
    }

    struct Item: Encodable {
        let notification: AgentNotification
        let contactName: String
        let snippet: String
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        async let items = app.store.notifications(userId: user.id)
        async let unread = app.store.unreadNotificationCount(userId: user.id)
        return try context.json(
            NotificationsOut(
                notifications: try await items.map { Item(notification: $0.0, contactName: $0.contactName, snippet: $0.snippet) },
                unread: try await unread), request)
    }

    struct NotificationsOut: Encodable { let notifications: [Item]; let unread: Int }
    struct ReadInput: Decodable { let conversationId: Int64? }

    /// Marks read those of one conversation, or all when no conversation is given.
    func markRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: ReadInput.self, context: context)
        try await app.store.markNotificationsRead(userId: user.id, conversationId: input.conversationId)
        return Response(status: .noContent)
    }
}
