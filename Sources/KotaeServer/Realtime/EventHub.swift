import Foundation
import KotaeCore
import KotaeStore
import Logging

/// What agents' screens need to hear about: one kind from `HubEvent.Kind`, built only by
/// the factories below, each asking for exactly what its kind carries. The JSON of this
/// struct is what browsers and other instances receive.
public struct HubEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case messageCreated = "message.created"
        case messageUpdated = "message.updated"
        case conversationUpdated = "conversation.updated"
        case conversationRead = "conversation.read"
        case contactUpdated = "contact.updated"
        case contactMerged = "contact.merged"
        case notificationCreated = "notification.created"
        case presence
        /// A user's sessions or tokens ended (sign-out, disabling, new password, revoked
        /// token): their open streams check their credentials again. Never sent to browsers.
        case sessionsEnded = "sessions.ended"

        /// Events only their own user may see.
        var isPersonal: Bool { self == .notificationCreated }
    }

    public var type: Kind
    public var conversationId: Int64?
    public var messageId: Int64?
    public var inboxId: Int64?
    public var at: Date
    /// The instance that produced it, so the PostgreSQL bridge does not echo our own events.
    public var origin: String
    /// For `presence`: who is viewing or replying (see `PresenceNote`).
    public var presence: PresenceNote?
    /// For `notification.created`: the user it is for; for an inbound `message.created`: the assignee.
    public var userId: Int64?

    private init(
        _ type: Kind, conversationId: Int64? = nil, messageId: Int64? = nil, inboxId: Int64? = nil,
        presence: PresenceNote? = nil, userId: Int64? = nil
    ) {
        self.type = type
        self.conversationId = conversationId
        self.messageId = messageId
        self.inboxId = inboxId
        self.at = Date()
        self.origin = ""
        self.presence = presence
        self.userId = userId
    }

    /// A message was added. `assignee`: for a customer's message, whose browser may ring.
    public static func messageCreated(_ conversation: Int64, message: Int64?, inbox: Int64, assignee: Int64? = nil) -> HubEvent {
        HubEvent(.messageCreated, conversationId: conversation, messageId: message, inboxId: inbox, userId: assignee)
    }

    /// A message changed: delivered, failed, an attachment fetched, edited by its author, hidden.
    public static func messageUpdated(_ conversation: Int64, message: Int64, inbox: Int64) -> HubEvent {
        HubEvent(.messageUpdated, conversationId: conversation, messageId: message, inboxId: inbox)
    }

    public static func conversationUpdated(_ conversation: Int64, inbox: Int64?) -> HubEvent {
        HubEvent(.conversationUpdated, conversationId: conversation, inboxId: inbox)
    }

    /// The customer read the shop's messages.
    public static func conversationRead(_ conversation: Int64, inbox: Int64) -> HubEvent {
        HubEvent(.conversationRead, conversationId: conversation, inboxId: inbox)
    }

    public static func contactUpdated(inbox: Int64?) -> HubEvent { HubEvent(.contactUpdated, inboxId: inbox) }

    public static var contactMerged: HubEvent { HubEvent(.contactMerged) }

    public static func notificationCreated(for user: Int64, conversation: Int64?, message: Int64?) -> HubEvent {
        HubEvent(.notificationCreated, conversationId: conversation, messageId: message, userId: user)
    }

    public static func presence(_ conversation: Int64?, _ note: PresenceNote) -> HubEvent {
        HubEvent(.presence, conversationId: conversation, presence: note)
    }

    public static func sessionsEnded(user: Int64) -> HubEvent { HubEvent(.sessionsEnded, userId: user) }
}

/// An in-process publish/subscribe hub. On PostgreSQL, `PostgresBridge` also sends each
/// event to the other instances and feeds theirs in here.
public final class EventHub: Sendable {
    public let instanceId: String
    private struct Subscribers {
        var streams: [UUID: AsyncStream<HubEvent>.Continuation] = [:]
        var listeners: [UUID: @Sendable (HubEvent) -> Void] = [:]
    }
    private let state = Locked(Subscribers())
    /// Set when several instances share a PostgreSQL.
    let forward = Locked<(@Sendable (HubEvent) -> Void)?>(nil)

    public init(instanceId: String = UUID().uuidString) {
        self.instanceId = instanceId
    }

    /// Publishes an event produced here: to local subscribers and to other instances.
    public func publish(_ event: HubEvent) {
        var e = event
        e.origin = instanceId
        deliverLocally(e)
        forward.withLock { $0 }?(e)
    }

    /// Gives an event to this instance's listeners, then its streams: one published here, or one
    /// the PostgreSQL bridge brought from another instance.
    func deliverLocally(_ event: HubEvent) {
        let (streams, listeners) = state.withLock { (Array($0.streams.values), Array($0.listeners.values)) }
        for listener in listeners { listener(event) }
        for c in streams { c.yield(event) }
    }

    /// A stream of every event from now on; ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<HubEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<HubEvent>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        continuation.onTermination = { [state] _ in state.withLock { $0.streams[id] = nil } }
        state.withLock { $0.streams[id] = continuation }
        return stream
    }

    /// Calls `listener` with every event from now on, in line, on the publisher's thread,
    /// until the returned id is given to `stopListening`. For a consumer that only looks up
    /// whom an event concerns (the chat widget's sockets), so the events nobody there needs,
    /// every customer's message on a busy desk among them, wake no task. It must not block.
    func listen(_ listener: @escaping @Sendable (HubEvent) -> Void) -> UUID {
        let id = UUID()
        state.withLock { $0.listeners[id] = listener }
        return id
    }

    func stopListening(_ id: UUID) {
        state.withLock { $0.listeners[id] = nil }
    }

    public var subscriberCount: Int { state.withLock { $0.streams.count + $0.listeners.count } }
}
