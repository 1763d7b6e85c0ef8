import Foundation
import KotaeCore
import KotaeStore
import Logging

/// What agents' screens need to hear about.
public struct HubEvent: Codable, Sendable, Equatable {
    public var type: String
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

    /// A user's sessions or tokens ended (sign-out, disabling, new password, revoked token):
    /// their open streams check their credentials again. Never sent to browsers.
    public static let sessionsEnded = "sessions.ended"
    /// Events only their own user may see.
    static let personalTypes: Set<String> = ["notification.created"]

    public init(type: String, conversationId: Int64? = nil, messageId: Int64? = nil, inboxId: Int64? = nil, at: Date = Date(),
                origin: String = "", presence: PresenceNote? = nil, userId: Int64? = nil) {
        self.type = type
        self.conversationId = conversationId
        self.messageId = messageId
        self.inboxId = inboxId
        self.at = at
        self.origin = origin
        self.presence = presence
        self.userId = userId
    }
}

/// An in-process publish/subscribe hub. On PostgreSQL, `PostgresBridge` also sends each
/// event to the other instances and feeds theirs in here.
public final class EventHub: Sendable {
    public let instanceId: String
    private let state = Locked<[UUID: AsyncStream<HubEvent>.Continuation]>([:])
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

    /// Delivers an event that arrived from another instance.
    func deliverLocally(_ event: HubEvent) {
        for c in state.withLock({ Array($0.values) }) { c.yield(event) }
    }

    /// A stream of every event from now on; ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<HubEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<HubEvent>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        continuation.onTermination = { [state] _ in state.withLock { $0[id] = nil } }
        state.withLock { $0[id] = continuation }
        return stream
    }

    public var subscriberCount: Int { state.withLock { $0.count } }
}

