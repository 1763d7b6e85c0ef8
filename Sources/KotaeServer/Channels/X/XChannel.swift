import Foundation
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore
import Logging

/// X (Account Activity API): `/webhooks/x/{inbox}` answers the CRC check (GET) and takes
/// events (POST, signed with the consumer secret). Mentions become public conversations,
/// DMs private ones; what the account itself posts is skipped like an echo.
struct XChannel: ChannelAdapter {
    let store: KotaeStore
    let client: XClient
    /// CRC checks per address: X checks about hourly.
    let crcLimit: RateLimiter
    let metrics: KotaeMetrics
    let logger: Logger

    var kinds: [ChannelKind] { [.x] }
    var name: String { "X" }
    var webhookPath: String? { "x" }
    var hasHandshake: Bool { true }

    /// Text only, public or private (the Account Activity API's DMs carry media only by upload, which Kotae does not do).
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute { ReplyRoute(files: .x) }

    func form(for kind: ChannelKind) -> ChannelForm {
        ChannelForm(settings: XSettings.self, credentials: XCredentials.self, plus: [Listening.field])
    }

    private func secret(_ credentials: [String: String]) throws -> String {
        guard let secret = try XCredentials(stored: credentials).consumerSecret else {
            throw APIError.unauthorized("this X inbox has no API key secret yet")
        }
        return secret
    }

    /// Answers X's CRC check. The answer is an HMAC of the token with the consumer secret,
    /// which is also how an event body is signed: answered for any text, it would sign a
    /// forged body. So only tokens shaped as X sends them are answered (see
    /// `XWebhook.isCRCToken`: short, no JSON punctuation), at most a few a minute per address.
    func handshake(_ request: Request, context: AppRequestContext, inbox: Inbox, credentials: [String: String]) async throws -> Response? {
        let client = context.remoteAddress?.ipAddress ?? "?"
        guard await crcLimit.admit(client) else {
            logger.warning("X CRC refused: too many checks", metadata: ["client": "\(client)"])
            var e = APIError(.tooManyRequests, code: "too_many_requests", detail: "too many CRC checks from this address; wait a minute")
            e.headers[.retryAfter] = "60"
            throw e
        }
        let secret = try secret(credentials)
        guard let token = (try request.formQuery())["crc_token"].map(String.init), !token.isEmpty else {
            throw APIError.invalid("crc_token", "crc_token is required")
        }
        guard XWebhook.isCRCToken(token) else {
            metrics.webhookRejected.increment()
            logger.warning("X CRC refused: token not shaped as X sends it", metadata: ["client": "\(client)", "length": "\(token.utf8.count)"])
            throw APIError.invalid("crc_token", "crc_token must be 1…\(XWebhook.crcTokenMaxLength) URL-safe characters")
        }
        return try context.json(["response_token": XWebhook.crcResponse(token: token, consumerSecret: secret)], request)
    }

    func verify(_ delivery: WebhookDelivery, inbox: Inbox, credentials: [String: String]) throws {
        guard
            XWebhook.verify(
                signature: delivery.header("x-twitter-webhooks-signature"), consumerSecret: try secret(credentials),
                body: delivery.body)
        else {
            throw APIError.unauthorized("x-twitter-webhooks-signature does not match the body")
        }
    }

    func events(from body: Data, inbox: Inbox) throws -> [InboundEvent] {
        try XWebhook.items(from: body).map { item in
            switch item {
            case .message(let m):
                return .message(m)
            case .echo(let user, let thread, let id, let text, let isPublic, let at):
                return .echo(
                    identity: ContactIdentity(channel: "x", externalId: user), threadKey: thread, externalId: id, text: text,
                    isPublic: isPublic, automated: false, at: at)
            case .read(let user, let at):
                return .read(threadKey: ThreadKind.xDirect.key(user), at: at)
            case .deleted(let id, let at):
                return .authorChange(externalId: ExternalIDKind.xPost.id(id), verb: "remove", text: nil, at: at)
            case .revoked:
                return .channelProblem("the X account revoked Kotae's access: authorise Kotae again and store the new access token", record: nil)
            case .unreadable(let json, let reason):
                return .unreadable(json: json, reason: reason)
            case .own, .ignored:
                return .ignored
            }
        }
    }
}
