import Foundation
import HTTPTypes
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore
import NIOFoundationCompat

/// `/webhooks/facebook/{inbox}`: the subscription handshake (GET) and the Page's events
/// (POST, `X-Hub-Signature-256` with the app secret over the raw bytes). Everything is
/// committed before the 200; a redelivery finds its messages already there.
struct FacebookWebhookController {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("webhooks/facebook/:inbox", use: handshake)
        router.post("webhooks/facebook/:inbox", use: receive)
    }

    private func inbox(_ context: AppRequestContext) async throws -> Inbox {
        let id = try context.parameters.require("inbox", as: Int64.self)
        guard let inbox = try await app.store.inbox(id: id), inbox.channel == .facebook || inbox.channel == .instagram else {
            throw APIError.notFound("Facebook or Instagram inbox")
        }
        return inbox
    }

    func handshake(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inbox = try await inbox(context)
        let p = try request.formQuery()
        let expected = try await app.store.inboxCredentials(id: inbox.id)["verifyToken"] ?? ""
        guard let challenge = GraphWebhook.challenge(mode: p["hub.mode"].map(String.init), token: p["hub.verify_token"].map(String.init),
                                                     challenge: p["hub.challenge"].map(String.init), expectedToken: expected) else {
            throw APIError.forbidden("hub.verify_token does not match this inbox's verify token")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inbox = try await inbox(context)
        let body = Data(buffer: try await request.collectBody(upTo: app.config.maxBodyBytes))
        guard let secret = try await app.store.inboxCredentials(id: inbox.id)["appSecret"] else {
            throw APIError.unauthorized("this inbox has no app secret yet")
        }
        guard GraphWebhook.verify(signature: request.headers[HTTPField.Name("X-Hub-Signature-256")!], appSecret: secret, body: body) else {
            app.metrics.webhookRejected.increment()
            throw APIError.unauthorized("X-Hub-Signature-256 does not match the body")
        }
        let items: [GraphWebhook.Item]
        do { items = try GraphWebhook.items(from: body) } catch { throw APIError.badRequest("bad_body", "\(error)") }
        for item in items { try await store(item, inbox: inbox) }
        return Response(status: .ok)
    }

    private func store(_ item: GraphWebhook.Item, inbox: Inbox) async throws {
        let platform: GraphWebhook.Platform = inbox.channel == .instagram ? .instagram : .facebook
        switch item {
        case .message(let m, let urls), .comment(let m, let urls):
            _ = try await app.inbound.accept(m, inbox: inbox) { message, conversation in
                var work: [FollowUp] = urls.map { .job(FetchFile(messageId: message.id, url: $0)) }
                // Known only by an id: fetch their name and picture, once per contact.
                if conversation.contactName == m.identity.externalId {
                    work.append(.jobOnce(key: "graph.profile:\(conversation.contactId)",
                                         FetchGraphProfile(inboxId: inbox.id, contactId: conversation.contactId,
                                                           userId: m.identity.externalId, platform: platform.channel)))
                }
                return work
            }
        case .echo(let psid, let mid, let text, let at, let appId):
            try await app.store.recordEcho(inbox: inbox, identity: ContactIdentity(channel: platform.channel, externalId: psid),
                                           threadKey: platform.dmThread.key(psid), externalId: platform.message.id(mid), text: text,
                                           automated: !inbox.countsAsHumanAnswer(appId: appId), at: at)
        case .pageReply(let id, let parent, let text, let at):
            if let conversation = try await app.store.recordReplyEcho(inbox: inbox, parentExternalId: platform.comment.id(parent),
                                                                      externalId: platform.comment.id(id), text: text, at: at) {
                app.hub.publish(.messageCreated(conversation, message: nil, inbox: inbox.id))
            }
        case .read(let psid, let watermark):
            try await app.recordCustomerRead(inbox: inbox, threadKey: platform.dmThread.key(psid), at: watermark)
        case .commentChanged(let id, let verb, let text, let at):
            try await app.recordAuthorChange(inbox: inbox, externalId: platform.comment.id(id), verb: verb, text: text, at: at)
        case .unsent(let mid, let at):
            try await app.recordAuthorChange(inbox: inbox, externalId: platform.message.id(mid), verb: "unsent", text: nil, at: at)
        case .mention(let media, let comment, let at):
            // Only ids arrive: the job (committed with the key, before the 200) reads the text.
            let payload = InstagramMentionJob.Payload(inboxId: inbox.id, mediaId: media, commentId: comment, at: at.timeIntervalSince1970)
            if try await app.store.enqueueOnce(key: "\(inbox.id):\(platform.mention.id(media))/\(comment ?? "")", payload) {
                app.runner?.poke()
            }
        case .policy(let action, let reason):
            // Meta blocked or restricted the page's messaging: shown to admins on the inbox.
            try await app.store.recordChannelEvent(type: platform.channel + ".policy", key: "\(inbox.id):policy:\(action):\(reason)",
                                                   data: ["action": action, "reason": reason])
            try await app.store.setChannelProblem(inboxId: inbox.id, "Meta applied a policy action (\(action)) to this page's messaging: \(reason)")
        case .unreadable(let json, let reason):
            try await app.keepUnreadable(json: json, reason: reason, channel: platform.channel, inbox: inbox)
        case .ignored:
            break
        }
    }
}
