import Foundation
import KotaeCore
import KotaeStore

/// What the widget tells a visitor before they write: whether the shop is open and someone is
/// there, and how fast it measured its first replies (never a setting). The measurement is
/// kept a few minutes per inbox, so thousands of visitors arriving do not each recompute it.
final class ChatAvailability: Sendable {
    struct Now: Encodable, Sendable, Equatable {
        /// Within business hours (always, for an inbox without them).
        var open: Bool
        /// An agent has Kotae open.
        var online: Bool
        /// The 90th percentile of first replies over 28 days, in seconds; nil until measured.
        var replySeconds: Double?
        /// The same, as a customer reads it.
        var replyWords: [String: String]?
        /// When business hours begin again, if closed.
        var opensAt: Date?
    }

    let store: KotaeStore
    let agents: AgentsOnline
    let clock: AppClock
    private let measured = Locked<[ID: (at: Date, seconds: Double?)]>([:])
    static let remember: TimeInterval = 300

    init(store: KotaeStore, agents: AgentsOnline, clock: AppClock) {
        self.store = store
        self.agents = agents
        self.clock = clock
    }

    func now(for inbox: Inbox) async throws -> Now {
        let now = clock.now
        let hours = inbox.slaPolicy.businessHours
        let seconds: Double?
        if let kept = measured.withLock({ $0[inbox.id] }), now.timeIntervalSince(kept.at) < Self.remember {
            seconds = kept.seconds
        } else {
            seconds = MeasuredReplyTime.p90(
                try await store.conversations.firstResponseSeconds(inboxId: inbox.id, since: now.addingTimeInterval(-MeasuredReplyTime.window)))
            measured.withLock { $0[inbox.id] = (now, seconds) }
        }
        let words = seconds.map(MeasuredReplyTime.words).map { ["ja": $0.ja, "en": $0.en] }
        return Now(
            open: hours?.isOpen(at: now) ?? true, online: agents.anyone, replySeconds: seconds, replyWords: words,
            opensAt: MeasuredReplyTime.nextOpening(hours, after: now))
    }
}
