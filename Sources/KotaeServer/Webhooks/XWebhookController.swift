import Foundation
import HTTPTypes
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore
import NIOFoundationCompat

/// `/webhooks/x/{inbox}`: the CRC check (GET) and Account Activity events (POST, signed with
/// the consumer secret). Mentions become public conversations, DMs private ones; what the
/// account itself posts is skipped like an echo.
struct XWebhookController {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("webhooks/x/:inbox", use: crc)
        router.post("webhooks/x/:inbox", use: receive)
    }

    private func secret(_ context: AppRequestContext) async throws -> (Inbox, String) {
        let id = try context.parameters.require("inbox", as: Int64.self)
        guard let inbox = try await app.store.inbox(id: id), inbox.channel == .x else { throw APIError.notFound("X inbox") }
        guard let secret = try await app.store.inboxCredentials(id: id)["consumerSecret"] else {
            throw APIError.unauthorized("this X inbox has no API key secret yet")
        }
        return (inbox, secret)
    }

    func crc(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, secret) = try await secret(context)
        guard let token = request.uri.queryParameters["crc_token"].map(String.init), !token.isEmpty else {
            throw APIError.invalid("crc_token", "crc_token is required")
        }
        return try JSONOut.response(["response_token": XWebhook.crcResponse(token: token, consumerSecret: secret)])
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, secret) = try await secret(context)
        let body = Data(buffer: try await request.body.collect(upTo: app.config.maxBodyBytes))
        guard XWebhook.verify(signature: request.headers[HTTPField.Name("x-twitter-webhooks-signature")!], consumerSecret: secret, body: body) else {
            app.metrics.webhookRejected.increment()
            throw APIError.unauthorized("x-twitter-webhooks-signature does not match the body")
        }
        let items: [XWebhook.Item]
        do { items = try XWebhook.items(from: body) } catch { throw APIError.badRequest("bad_body", "\(error)") }
        for item in items {
            switch item {
            case .message(let m):
                guard case .created(let message, let conversation) = try await app.receive(m, inbox: inbox) else { continue }
                try await Listening.apply(app, inbox: inbox, message: message, conversation: conversation)
            case .echo(let user, let thread, let id, let text, let isPublic, let at):
                try await app.store.recordEcho(inbox: inbox, identity: ContactIdentity(channel: "x", externalId: user), threadKey: thread,
                                               externalId: id, text: text, isPublic: isPublic, at: at)
            case .read(let user, let at):
                try await app.recordCustomerRead(inbox: inbox, threadKey: "xdm:" + user, at: at)
            case .deleted(let id, let at):
                try await app.recordAuthorChange(inbox: inbox, externalId: "x:t:" + id, verb: "remove", text: nil, at: at)
            case .revoked:
                try await app.store.setChannelProblem(inboxId: inbox.id,
                    "the X account revoked Kotae's access: authorise Kotae again and store the new access token")
            case .unreadable(let json, let reason):
                try await app.keepUnreadable(json: json, reason: reason, channel: "x", inbox: inbox)
            case .own, .ignored:
                break
            }
        }
        return Response(status: .ok)
    }
}
