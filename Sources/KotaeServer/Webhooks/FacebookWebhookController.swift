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
        let p = request.uri.queryParameters
        let expected = try await app.store.inboxCredentials(id: inbox.id)["verifyToken"] ?? ""
        guard let challenge = GraphWebhook.challenge(mode: p["hub.mode"].map(String.init), token: p["hub.verify_token"].map(String.init),
                                                     challenge: p["hub.challenge"].map(String.init), expectedToken: expected) else {
            throw APIError.forbidden("hub.verify_token does not match this inbox's verify token")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let inbox = try await inbox(context)
        let body = Data(buffer: try await request.body.collect(upTo: app.config.maxBodyBytes))
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
            guard case .created(let message, let conversation) = try await app.receive(m, inbox: inbox) else { return }
            for url in urls { try await app.store.enqueue(kind: "file.fetch", payload: ["messageId": String(message.id), "url": url]) }
            if !urls.isEmpty { app.runner?.poke() }
            try await Listening.apply(app, inbox: inbox, message: message, conversation: conversation)
        case .echo(let psid, let mid, let text, let at):
            try await app.store.recordEcho(inbox: inbox, threadKey: platform.dmThread + ":" + psid, externalId: platform.message + mid, text: text, at: at)
        case .read(let psid, let watermark):
            try await app.store.recordChannelEvent(type: platform.channel + ".read", key: "\(inbox.id):\(psid):\(watermark.timeIntervalSince1970)",
                                                   data: ["psid": psid, "watermark": watermark.formatted(.iso8601)])
        case .commentChanged(let id, let verb, let text, _):
            try await app.store.recordCommentChange(inbox: inbox, externalId: platform.comment + id, verb: verb, text: text)
        case .ignored:
            break
        }
    }
}
