import Foundation

/// What happened when a channel tried to send one message.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the platform; its id for the message when it gave one.
    case delivered(externalId: String?)
    /// A fault that may heal (network, 5xx, rate limit); `after` is the platform's wish, if any.
    case retry(reason: String, after: TimeInterval?)
    /// The platform's rate limit: wait as long as it says (`after`), or, when it says
    /// nothing, back off from a minute up to an hour rather than spend the retries in seconds.
    case throttled(reason: String, after: TimeInterval?)
    /// Will not heal by retrying (bad configuration, 4xx): shown to the agent at once.
    case permanent(reason: String)
    /// Nothing can go on this inbox until an admin acts (a refused token, a missing
    /// permission, a used-up quota): shown on the message and to admins on the inbox.
    case channelProblem(reason: String)
}
