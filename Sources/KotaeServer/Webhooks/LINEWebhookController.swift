import Foundation
import Hummingbird
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore
import NIOFoundationCompat

/// `POST /webhooks/line/{inbox}`: LINE's events for one LINE inbox. The signature is the
/// only credential: checked over the raw bytes before anything is read or stored. Every
/// event is committed before the 200 (LINE redelivers otherwise); fetching a profile or an
/// image's bytes is queued as a job, so the answer stays fast.
struct LINEWebhookController {
    let app: AppServices

    /// Reply tokens are short-lived; one older than this is not tried (the reply is pushed).
    static let replyTokenLifetime: TimeInterval = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("webhooks/line/:inbox", use: receive)
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("inbox", as: Int64.self)
        guard let inbox = try await app.store.inbox(id: id), inbox.channel == .line else { throw APIError.notFound("LINE inbox") }
        let body = Data(buffer: try await request.collectBody(upTo: app.config.maxBodyBytes))
        guard let secret = try await app.store.inboxCredentials(id: id)["channelSecret"] else {
            throw APIError.unauthorized("this LINE inbox has no channel secret yet")
        }
        guard LINEWebhook.verify(signature: request.headers[HTTPField.Name("x-line-signature")!], channelSecret: secret, body: body) else {
            app.metrics.webhookRejected.increment()
            throw APIError.unauthorized("x-line-signature does not match the body")
        }
        let items: [LINEWebhook.Item]
        do { items = try LINEWebhook.items(from: body) } catch { throw APIError.badRequest("bad_body", "\(error)") }
        for item in items { try await store(item, inbox: inbox) }
        return Response(status: .ok)
    }

    private func store(_ item: LINEWebhook.Item, inbox: Inbox) async throws {
        switch item {
        case .message(let m, let contentId, let replyToken):
            // Written with the message: a redelivery finds both, a crash leaves neither.
            _ = try await app.inbound.accept(m, inbox: inbox) { message, conversation in
                var work: [FollowUp] = []
                if let replyToken { work.append(.replyToken(replyToken, receivedAt: m.sentAt)) }
                if let contentId { work.append(.job(FetchLINEContent(inboxId: inbox.id, messageId: message.id, lineMessageId: contentId))) }
                // Known only by an id: fetch the display name and picture, once per contact (not
                // once per message while LINE is unreachable).
                if conversation.contactName == m.identity.externalId {
                    work.append(.jobOnce(key: "line.profile:\(conversation.contactId)",
                                         FetchLINEProfile(inboxId: inbox.id, contactId: conversation.contactId, userId: m.identity.externalId)))
                }
                return work
            }
        case .follow(let userId, let followed, let eventId, let at):
            try await app.store.recordFollow(ContactIdentity(channel: "line", externalId: userId), followed: followed, at: at)
            try await app.store.recordChannelEvent(type: followed ? "line.follow" : "line.unfollow", key: eventId, data: [
                "inboxId": String(inbox.id), "userId": userId, "eventId": eventId, "at": at.formatted(.iso8601)])
        case .unsent(let id, let at):
            try await app.recordAuthorChange(inbox: inbox, externalId: ExternalIDKind.line.id(id), verb: "unsent", text: nil, at: at)
        case .unreadable(let json, let reason):
            try await app.keepUnreadable(json: json, reason: reason, channel: "line", inbox: inbox)
        case .ignored:
            break
        }
    }
}
