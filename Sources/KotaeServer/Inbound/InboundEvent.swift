import Foundation
import KotaeCore
import KotaeStore

/// What a channel hands the core, whatever the platform called it. Each channel turns its
/// own webhook items (or polled mail, or widget frames) into these; `InboundService` is the
/// one place that knows what each means for the store and the agents' screens.
enum InboundEvent: Sendable {
    /// A customer's message, with the channel's own work for it (written with it).
    case message(InboundMessage, followUps: @Sendable (Message, Conversation) -> [FollowUp] = { _, _ in [] })
    /// The shop answered from another tool (the platform's own app, an auto-responder).
    case echo(identity: ContactIdentity, threadKey: String, externalId: String, text: String, isPublic: Bool, automated: Bool, at: Date)
    /// The page answered a comment from another tool: stored under that comment.
    case replyEcho(parentExternalId: String, externalId: String, text: String, at: Date)
    /// The customer read the shop's messages in a thread up to `at`.
    case read(threadKey: String, at: Date)
    /// The customer edited, removed or unsent one of their messages.
    case authorChange(externalId: String, verb: String, text: String?, at: Date)
    /// The customer followed or blocked the shop's account (`eventKey`: the platform's id).
    case follow(identity: ContactIdentity, followed: Bool, eventKey: String, at: Date)
    /// Something known only by ids: a job reads it, queued once per `key`.
    case fetchLater(key: String, any JobPayload)
    /// The platform stopped the inbox (a revoked token, a policy action): shown to admins.
    case channelProblem(String, record: (type: String, key: String, data: [String: String])?)
    /// An event Kotae could not read: kept as it came, so nothing is lost.
    case unreadable(json: String, reason: String)
    /// Nothing for an agent.
    case ignored
}
