import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Liking and hiding a public comment on Facebook or Instagram: done on the platform first,
/// then recorded (with who did it, audited) and told to every screen. Nothing is recorded
/// that the platform refused.
struct Moderation: Sendable {
    let store: KotaeStore
    let hub: EventHub
    let graph: GraphClient

    /// A comment as the platform knows it, with the token to act on it.
    struct Comment: Sendable {
        let message: Message
        let platformId: String
        let token: String
    }

    enum Problem: Error {
        case notAComment
        case noToken
        case platform(GraphError)
    }

    /// Message `id` as a comment that can be liked or hidden.
    func comment(_ id: ID) async throws -> Comment {
        guard let m = try await store.conversations.message(id: id), m.kind == .inbound,
            let kind = ExternalIDKind.of(m.externalId), kind.isModeratable, let platformId = kind.platformID(of: m.externalId)
        else { throw Problem.notAComment }
        guard let token = try await MetaSettings.Credentials.load(inboxId: m.inboxId, from: store)?.token else { throw Problem.noToken }
        return Comment(message: m, platformId: platformId, token: token)
    }

    func like(_ c: Comment, actor: ID) async throws {
        if case .failure(let e) = await graph.like(commentId: c.platformId, token: c.token) { throw Problem.platform(e) }
        try await store.conversations.markLiked(messageId: c.message.id, actor: actor)
        hub.publish(.messageUpdated(c.message.conversationId, message: c.message.id, inbox: c.message.inboxId))
    }

    /// Hidden for `reason` (spam only: the controller refuses any other).
    func hide(_ c: Comment, reason: String, actor: ID) async throws {
        if case .failure(let e) = await graph.hide(commentId: c.platformId, token: c.token) { throw Problem.platform(e) }
        try await store.conversations.markHidden(messageId: c.message.id, reason: reason, actor: actor)
        hub.publish(.messageUpdated(c.message.conversationId, message: c.message.id, inbox: c.message.inboxId))
    }
}
