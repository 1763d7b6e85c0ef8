import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// LINE (Messaging API): `POST /webhooks/line/{inbox}`, signed with the channel secret
/// (`x-line-signature`); replies by reply token while it is fresh, else by push. The
/// profile and a message's image or file are fetched by jobs, queued with the message.
struct LINEChannel: ChannelAdapter {
    let store: KotaeStore
    let client: LINEClient
    let fileLinks: FileLinks
    let clock: AppClock
    let jobs: LINEJobs

    /// Reply tokens are short-lived; one older than this is not tried (the reply is pushed).
    static let replyTokenLifetime: TimeInterval = 50

    var kinds: [ChannelKind] { [.line] }
    var name: String { "LINE" }
    var webhookPath: String? { "line" }

    /// Text and pictures; nothing reaches a customer who blocked the shop (LINE accepts the push and drops it).
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute {
        ReplyRoute(files: .line, blockedSince: try await blockedSince(conversation))
    }

    /// The share of a limited plan's monthly pushes that messages Kotae sends by itself leave
    /// to agents: a follow-up or a survey never takes the pushes an answer to a customer needs.
    static let pushesKeptForAgents = 0.1

    /// A follow-up or survey days after the last message is always a push, which LINE counts
    /// against the plan's month. Asked of LINE each time (the count includes pushes sent from
    /// LINE's own console); when LINE cannot be asked, the push itself says how it went.
    func unpromptedRefusal(for conversation: Conversation) async throws -> String? {
        guard let token = try await store.inboxes.credentials(id: conversation.inboxId, as: LINECredentials.self).channelAccessToken,
            let quota = try? await client.pushQuota(token: token), let limit = quota.limit
        else { return nil }
        let kept = max(1, Int((Double(limit) * Self.pushesKeptForAgents).rounded(.up)))
        guard quota.used + kept > limit else { return nil }
        return "LINE's monthly messages are nearly used up (\(quota.used) of \(limit)); the last \(kept) are kept for agents' replies"
    }

    /// When the one customer of a 1:1 chat blocked the shop (a group or room has no one customer).
    func blockedSince(_ conversation: Conversation) async throws -> Date? {
        guard ![.lineGroup, .lineRoom].contains(ThreadKind.of(conversation.threadKey)),
            let user = try await store.contacts.contact(id: conversation.contactId)?.identities.first(where: { $0.channel == "line" })
        else { return nil }
        return try await store.channelState.blockedSince(user)
    }

    func verify(_ delivery: WebhookDelivery, inbox: Inbox, credentials: [String: String]) throws {
        guard let secret = try LINECredentials(stored: credentials).channelSecret else {
            throw APIError.unauthorized("this LINE inbox has no channel secret yet")
        }
        guard LINEWebhook.verify(signature: delivery.header("x-line-signature"), channelSecret: secret, body: delivery.body) else {
            throw APIError.unauthorized("x-line-signature does not match the body")
        }
    }

    func events(from body: Data, inbox: Inbox) throws -> [InboundEvent] {
        try LINEWebhook.items(from: body).map { item in
            switch item {
            case .message(let m, let contentId, let replyToken):
                // Written with the message: a redelivery finds both, a crash leaves neither.
                return .message(m) { message, conversation in
                    var work: [FollowUp] = []
                    if let replyToken { work.append(.replyToken(replyToken, receivedAt: m.sentAt)) }
                    if let contentId { work.append(.job(FetchLINEContent(inboxId: inbox.id, messageId: message.id, lineMessageId: contentId))) }
                    // Known only by an id: fetch the display name and picture, once per contact
                    // (not once per message while LINE is unreachable).
                    if conversation.contactName == m.identity.externalId {
                        work.append(
                            .jobOnce(
                                key: "line.profile:\(conversation.contactId)",
                                FetchLINEProfile(inboxId: inbox.id, contactId: conversation.contactId, userId: m.identity.externalId)))
                    }
                    return work
                }
            case .follow(let userId, let followed, let eventId, let at):
                return .follow(identity: ContactIdentity(channel: "line", externalId: userId), followed: followed, eventKey: eventId, at: at)
            case .unsent(let id, let at):
                return .authorChange(externalId: ExternalIDKind.line.id(id), verb: "unsent", text: nil, at: at)
            case .unreadable(let json, let reason):
                return .unreadable(json: json, reason: reason)
            case .ignored:
                return .ignored
            }
        }
    }

    func form(for kind: ChannelKind) -> ChannelForm { ChannelForm(settings: LINESettings.self, credentials: LINECredentials.self) }

    func register(_ handlers: inout JobHandlers) {
        handlers.on(FetchLINEProfile.self, run: jobs.profile)
        handlers.on(FetchLINEContent.self, run: jobs.content)
    }
}
