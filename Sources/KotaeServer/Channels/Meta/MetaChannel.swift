import Foundation
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore
import NIOCore

/// Facebook (Messenger and Page comments) and Instagram (DMs, comments, @mentions), both
/// through Meta's Graph API: `/webhooks/facebook/{inbox}` answers the subscription
/// handshake (GET) and takes the Page's events (POST, `X-Hub-Signature-256` with the app
/// secret over the raw bytes).
struct MetaChannel: ChannelAdapter {
    let store: KotaeStore
    let graph: GraphClient
    let fileLinks: FileLinks
    let clock: AppClock
    let profiles: GraphProfileJob
    let mentions: InstagramMentionJob

    var kinds: [ChannelKind] { [.facebook, .instagram] }
    var name: String { "Facebook or Instagram" }
    var webhookPath: String? { "facebook" }
    var hasHandshake: Bool { true }

    static func platform(of inbox: Inbox) -> GraphWebhook.Platform { inbox.channel == .instagram ? .instagram : .facebook }

    /// In a comment thread, a private answer goes into the Messenger or Instagram thread a
    /// private reply opened, or is that first private reply itself. A direct message goes
    /// inside Meta's window only.
    func replyRoute(for c: Conversation, privately: Bool) async throws -> ReplyRoute {
        let instagram = c.channel == .instagram
        let dm: OutboundFiles.Route = instagram ? .instagramDM : .messenger
        if !c.isPublic { return ReplyRoute(files: dm, window: try await window(c)) }
        if c.isInstagramMention { return ReplyRoute(files: .instagramMention, publicOnly: true) }
        if !privately { return ReplyRoute(files: instagram ? .instagramComment : .facebookComment) }
        let platform: GraphWebhook.Platform = instagram ? .instagram : .facebook
        let opened = try await store.channelState.directRecipient(conversationId: c.id, thread: platform.dmThread) != nil
        return opened ? ReplyRoute(files: dm, window: try await window(c)) : ReplyRoute(files: .privateReplyToComment)
    }

    /// Meta's messaging window for the conversation's direct thread (from the customer's last
    /// direct message), and how a reply inside it is sent.
    func messaging(_ c: Conversation, inbox: Inbox, now: Date) async throws -> (window: ReplyRoute.Window, messaging: GraphClient.Messaging?) {
        let platform = Self.platform(of: inbox)
        let last = try await store.conversations.latestInbound(conversationId: c.id, kind: platform.message).map { $0.sentAt ?? $0.createdAt }
        let tagged = try MetaSettings(inbox).humanAgentTag
        guard let (how, _) = GraphClient.Messaging.window(lastCustomerMessage: last, humanAgentTag: tagged, now: now) else {
            return (.closed, nil)
        }
        return (.open, how)
    }

    private func window(_ c: Conversation) async throws -> ReplyRoute.Window {
        guard let inbox = try await store.inboxes.find(id: c.inboxId) else { return .closed }
        return try await messaging(c, inbox: inbox, now: clock.now).window
    }

    func handshake(_ request: Request, context: AppRequestContext, inbox: Inbox, credentials: [String: String]) async throws -> Response? {
        let p = try request.formQuery()
        guard
            let challenge = GraphWebhook.challenge(
                mode: p["hub.mode"].map(String.init), token: p["hub.verify_token"].map(String.init),
                challenge: p["hub.challenge"].map(String.init),
                expectedToken: try MetaSettings.Credentials(stored: credentials, channel: inbox.channel).verifyToken ?? "")
        else {
            throw APIError.forbidden("hub.verify_token does not match this inbox's verify token")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    func verify(_ delivery: WebhookDelivery, inbox: Inbox, credentials: [String: String]) throws {
        guard let secret = try MetaSettings.Credentials(stored: credentials, channel: inbox.channel).appSecret else {
            throw APIError.unauthorized("this inbox has no app secret yet")
        }
        guard GraphWebhook.verify(signature: delivery.header("X-Hub-Signature-256"), appSecret: secret, body: delivery.body) else {
            throw APIError.unauthorized("X-Hub-Signature-256 does not match the body")
        }
    }

    func events(from body: Data, inbox: Inbox) throws -> [InboundEvent] {
        let platform = Self.platform(of: inbox)
        let settings = try MetaSettings(inbox)
        return try GraphWebhook.items(from: body).map { item in
            switch item {
            case .message(let m, let urls), .comment(let m, let urls):
                return .message(m) { message, conversation in
                    var work: [FollowUp] = urls.map { .job(FetchFile(messageId: message.id, url: $0)) }
                    // Known only by an id: fetch their name and picture, once per contact.
                    if conversation.contactName == m.identity.externalId {
                        work.append(
                            .jobOnce(
                                key: "graph.profile:\(conversation.contactId)",
                                FetchGraphProfile(
                                    inboxId: inbox.id, contactId: conversation.contactId,
                                    userId: m.identity.externalId, platform: platform.channel)))
                    }
                    return work
                }
            case .echo(let psid, let mid, let text, let at, let appId):
                return .echo(
                    identity: ContactIdentity(channel: platform.channel, externalId: psid), threadKey: platform.dmThread.key(psid),
                    externalId: platform.message.id(mid), text: text, isPublic: false,
                    automated: !settings.countsAsHumanAnswer(appId: appId), at: at)
            case .pageReply(let id, let parent, let text, let at):
                return .replyEcho(parentExternalId: platform.comment.id(parent), externalId: platform.comment.id(id), text: text, at: at)
            case .read(let psid, let watermark):
                return .read(threadKey: platform.dmThread.key(psid), at: watermark)
            case .commentChanged(let id, let verb, let text, let at):
                return .authorChange(externalId: platform.comment.id(id), verb: verb, text: text, at: at)
            case .unsent(let mid, let at):
                return .authorChange(externalId: platform.message.id(mid), verb: "unsent", text: nil, at: at)
            case .mention(let media, let comment, let at):
                // Only ids arrive: the job (committed with the key, before the 200) reads the text.
                return .fetchLater(
                    key: "\(inbox.id):\(platform.mention.id(media))/\(comment ?? "")",
                    InstagramMentionJob.Payload(inboxId: inbox.id, mediaId: media, commentId: comment, at: at.timeIntervalSince1970))
            case .policy(let action, let reason):
                // Meta blocked or restricted the page's messaging: shown to admins on the inbox.
                return .channelProblem(
                    "Meta applied a policy action (\(action)) to this page's messaging: \(reason)",
                    record: (platform.channel + ".policy", "\(inbox.id):policy:\(action):\(reason)", ["action": action, "reason": reason]))
            case .unreadable(let json, let reason):
                return .unreadable(json: json, reason: reason)
            case .ignored:
                return .ignored
            }
        }
    }

    func form(for kind: ChannelKind) -> ChannelForm { MetaSettings.form(for: kind) }

    func register(_ handlers: inout JobHandlers) {
        handlers.on(FetchGraphProfile.self, run: profiles.run)
        handlers.on(InstagramMentionJob.Payload.self, run: mentions.run)
    }
}
