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

    /// Answers X's CRC check. The answer is an HMAC of the token with the consumer secret,
    /// which is also how an event body is signed: answered for any text, it would sign a
    /// forged body. So only tokens shaped as X sends them are answered (see
    /// `XWebhook.isCRCToken`: short, no JSON punctuation), at most a few a minute per address.
    func crc(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = context.remoteAddress?.ipAddress ?? "?"
        guard await app.limits.crcPerClient.admit(client) else {
            app.logger.warning("X CRC refused: too many checks", metadata: ["client": "\(client)"])
            var e = APIError(.tooManyRequests, code: "too_many_requests", detail: "too many CRC checks from this address; wait a minute")
            e.headers[.retryAfter] = "60"
            throw e
        }
        let (_, secret) = try await secret(context)
        guard let token = (try request.formQuery())["crc_token"].map(String.init), !token.isEmpty else {
            throw APIError.invalid("crc_token", "crc_token is required")
        }
        guard XWebhook.isCRCToken(token) else {
            app.metrics.webhookRejected.increment()
            app.logger.warning("X CRC refused: token not shaped as X sends it", metadata: ["client": "\(client)", "length": "\(token.utf8.count)"])
            throw APIError.invalid("crc_token", "crc_token must be 1…\(XWebhook.crcTokenMaxLength) URL-safe characters")
        }
        return try JSONOut.response(["response_token": XWebhook.crcResponse(token: token, consumerSecret: secret)])
    }

    func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, secret) = try await secret(context)
        let body = Data(buffer: try await request.collectBody(upTo: app.config.maxBodyBytes))
        guard XWebhook.verify(signature: request.headers[HTTPField.Name("x-twitter-webhooks-signature")!], consumerSecret: secret, body: body) else {
            app.metrics.webhookRejected.increment()
            throw APIError.unauthorized("x-twitter-webhooks-signature does not match the body")
        }
        let items: [XWebhook.Item]
        do { items = try XWebhook.items(from: body) } catch { throw APIError.badRequest("bad_body", "\(error)") }
        for item in items {
            switch item {
            case .message(let m):
                _ = try await app.receive(m, inbox: inbox)
            case .echo(let user, let thread, let id, let text, let isPublic, let at):
                try await app.store.recordEcho(inbox: inbox, identity: ContactIdentity(channel: "x", externalId: user), threadKey: thread,
                                               externalId: id, text: text, isPublic: isPublic, at: at)
            case .read(let user, let at):
                try await app.recordCustomerRead(inbox: inbox, threadKey: ThreadKind.xDirect.key(user), at: at)
            case .deleted(let id, let at):
                try await app.recordAuthorChange(inbox: inbox, externalId: ExternalIDKind.xPost.id(id), verb: "remove", text: nil, at: at)
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
