import Foundation
import KotaeCore
import KotaeStore

/// What the chat widget's routes share: the open sockets, who the visitors are, what to say
/// about the shop's availability, and the limits on what one visitor or address may send.
struct ChatServices: Sendable {
    let sessions: ChatSessions
    let identity: VisitorIdentity
    let availability: ChatAvailability
    let agents: AgentsOnline
    /// Messages from one visitor: 20 a minute (a person types far fewer).
    let perVisitor = RateLimiter(limit: 20, window: 60)
    /// Messages from one network address, across visitors, a minute (`KotaeConfig.chatMessagesPerAddress`).
    let perAddress: RateLimiter
    /// Uploads from one visitor: 10 a minute.
    let uploads = RateLimiter(limit: 10, window: 60)
    /// The longest message a visitor may send, in characters.
    static let maxText = 5_000

    init(store: KotaeStore, hub: EventHub, secret: String, clock: AppClock, perAddress: Int) {
        self.perAddress = RateLimiter(limit: perAddress, window: 60)
        sessions = ChatSessions(hub: hub)
        identity = VisitorIdentity(secret: secret)
        agents = AgentsOnline()
        availability = ChatAvailability(store: store, agents: agents, clock: clock)
    }
}
