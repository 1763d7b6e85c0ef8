import Foundation
import HTTPTypes
import Hummingbird
import KotaeChannels
import KotaeCore
import KotaeStore

/// One channel as the server sees it: how what arrives is checked and read, and how a reply
/// leaves. A channel lives in its own folder (`Channels/<Name>/`, with its platform code in
/// `KotaeChannels/<Name>/`) and is registered with one line in `buildApplication`. The
/// server dispatches over the registered channels; it never switches on a channel's name.
protocol ChannelAdapter: Sendable {
    /// The inbox channels it serves (Meta serves Facebook and Instagram).
    var kinds: [ChannelKind] { get }

    /// What people call it ("LINE", "Facebook or Instagram"), for messages about its inboxes.
    var name: String { get }

    /// `/webhooks/<webhookPath>/{inbox}`, or nil for a channel that does not arrive by
    /// webhook (the API channel has its own authenticated route; email will poll).
    var webhookPath: String? { get }

    /// Checks that a webhook delivery is the platform's: its signature over the raw body,
    /// with the inbox's credentials. Throws `APIError.unauthorized` otherwise.
    func verify(_ delivery: WebhookDelivery, inbox: Inbox, credentials: [String: String]) throws

    /// What a verified body says, as the core's events.
    func events(from body: Data, inbox: Inbox) throws -> [InboundEvent]

    /// Whether the platform checks the webhook URL with a `GET` first (Meta, X).
    var hasHandshake: Bool { get }

    /// The platform's subscription check (`GET` on the webhook URL).
    func handshake(_ request: Request, context: AppRequestContext, inbox: Inbox, credentials: [String: String]) async throws -> Response?

    /// Where a reply in `conversation` goes, and so what it may carry (files, public or
    /// private, a window); asked before the reply is stored and by the composer.
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute

    /// Why a message Kotae sends by itself (a follow-up, a survey) should not go now, beyond
    /// the route's rules: a push that draws on a monthly limit (LINE). `nil` when it may.
    func unpromptedRefusal(for conversation: Conversation) async throws -> String?

    /// Sends one reply (already stored and queued) and says how it went.
    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome

    /// What an admin fills in for an inbox of `kind` (from the channel's typed settings).
    func form(for kind: ChannelKind) -> ChannelForm

    /// The channel's own background jobs (profile and file fetches).
    func register(_ jobs: inout JobHandlers)
}

extension ChannelAdapter {
    var webhookPath: String? { nil }
    var hasHandshake: Bool { false }
    /// A channel that takes webhooks must say how they are verified: until it does, nothing is accepted.
    func verify(_ delivery: WebhookDelivery, inbox: Inbox, credentials: [String: String]) throws {
        throw APIError.unauthorized("this channel cannot verify its webhooks")
    }
    func events(from body: Data, inbox: Inbox) throws -> [InboundEvent] { [] }
    func handshake(_ request: Request, context: AppRequestContext, inbox: Inbox, credentials: [String: String]) async throws -> Response? { nil }
    func register(_ jobs: inout JobHandlers) {}
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute { .any }
    func unpromptedRefusal(for conversation: Conversation) async throws -> String? { nil }
}

/// A webhook's request as a channel checks it: the headers and the raw bytes.
struct WebhookDelivery: Sendable {
    let headers: HTTPFields
    let body: Data

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}

/// A reply to send, with everything it belongs to.
struct OutboundReply: Sendable {
    let message: Message
    let conversation: Conversation
    let contact: Contact
    let inbox: Inbox
}

/// The registered channels, by the inbox channel each serves.
struct ChannelRegistry: Sendable {
    let adapters: [any ChannelAdapter]

    init(_ adapters: [any ChannelAdapter]) {
        self.adapters = adapters
    }

    func adapter(for kind: ChannelKind) -> (any ChannelAdapter)? { adapters.first { $0.kinds.contains(kind) } }

    /// The email channel, which also sends the shop's own notices (SLA alerts, rules' mails).
    var email: EmailChannel? { adapters.lazy.compactMap { $0 as? EmailChannel }.first }

    /// The settings form of an inbox of `kind` (channels not built yet keep theirs aside).
    func form(for kind: ChannelKind) -> ChannelForm { adapter(for: kind)?.form(for: kind) ?? UnbuiltChannelForms.form(for: kind) }

    /// Where a reply in `conversation` goes (`.any` on a channel that sets no limits).
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute {
        try await adapter(for: conversation.channel)?.replyRoute(for: conversation, privately: privately) ?? .any
    }

    /// Why a message Kotae sends by itself must not go into `conversation` now (Messenger's
    /// window closed, a block, an address that bounces, a monthly push limit), or `nil`.
    func unpromptedRefusal(for conversation: Conversation) async throws -> String? {
        let route = try await replyRoute(for: conversation, privately: conversation.isPublic)
        if route.window == .closed { return "the platform's messaging window is closed" }
        if route.blockedSince != nil { return "the customer blocked the shop" }
        if let bounce = route.undeliverable { return "\(bounce.address) does not receive mail: \(bounce.reason)" }
        return try await adapter(for: conversation.channel)?.unpromptedRefusal(for: conversation)
    }
}
