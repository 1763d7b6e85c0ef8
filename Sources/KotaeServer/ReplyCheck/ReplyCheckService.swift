import Foundation
import KotaeCore
import KotaeStore

/// The reply checker with what the conversation knows: whether the customer complains (triage
/// of what they wrote since the last answer), their name, the channel's limits, the days their
/// orders give, and the shop's forbidden words. The composer asks before sending; the reply
/// itself is checked again, refused on a forbidden word and marked with what was overridden.
struct ReplyCheckService: Sendable {
    static let forbiddenSetting = "replyCheck.forbiddenWords"
    /// Intents that are complaints whatever the tone.
    static let complaintIntents: Set<TriageIntent> = [.wrongItem, .defect, .complaintService]

    let store: KotaeStore
    let commerce: CommerceConnections
    let clock: AppClock

    func check(_ text: String, conversation: Conversation, attachments: Int) async throws -> [ReplyIssue] {
        ReplyChecker().check(text, try await context(conversation, attachments: attachments))
    }

    func context(_ c: Conversation, attachments: Int) async throws -> ReplyChecker.Context {
        let messages = try await store.conversations.messages(conversationId: c.id)
        // What the customer wrote since the last answer (or all of it, before any answer); a
        // draft held for approval or sent back answered no one.
        let lastAnswer = messages.lastIndex { $0.kind == .outbound && $0.authorUserId != nil && [.queued, .sent].contains($0.deliveryState) }
        let waiting = messages[(lastAnswer.map { $0 + 1 } ?? 0)...].filter { $0.kind == .inbound }
        let complaint = waiting.contains { m in
            guard let t = m.details.triage else { return false }
            return t.sentiment == .negative || Self.complaintIntents.contains(t.intent)
        }
        let contact = try await store.contacts.contact(id: c.contactId)
        let zone = try await store.reports.timeZone()
        let (limit, readable) = Self.limits(c.channel)
        return ReplyChecker.Context(
            complaint: complaint, contactName: contact?.name, attachments: attachments, forbidden: try await forbiddenWords(),
            channelLimit: limit, xWeighted: c.channel == .x, expectsNamedGreeting: c.channel == .email,
            orderDays: try await orderDays(c, zone: zone), today: LocalDate(of: clock.now, in: zone), readable: readable)
    }

    func forbiddenWords() async throws -> [String] {
        try await store.setting(Self.forbiddenSetting).map(Self.words) ?? []
    }

    static func words(_ stored: String) -> [String] {
        stored.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every day the conversation's orders name, in the shop's time zone; nil with no shop system connected.
    private func orderDays(_ c: Conversation, zone: TimeZone) async throws -> Set<LocalDate>? {
        guard try await !store.commerceStores.all().isEmpty else { return nil }
        let orders = try await OrdersPanel(store: store, connections: commerce, clock: clock).cached(conversationId: c.id).orders.map(\.order)
        let dates = orders.flatMap { o in
            [o.createdAt, o.cancelledAt] + o.shipments.flatMap { [$0.createdAt, $0.inTransitAt, $0.estimatedAt, $0.deliveredAt] }
        }
        return Set(dates.compactMap { $0.map { LocalDate(of: $0, in: zone) } })
    }

    /// The most one message can carry (LINE's text message: 5,000 characters), and how long it may run before it rambles: a LINE or
    /// chat bubble reads short, a letter may run longer than the default.
    static func limits(_ channel: ChannelKind) -> (Int?, ReplyChecker.Readable?) {
        switch channel {
        case .x: (XWeightedLength.limit, nil)
        case .line: (5_000, ReplyChecker.Readable(japanese: 200, other: 400))
        case .chat: (ChatServices.maxText, ReplyChecker.Readable(japanese: 200, other: 400))
        case .facebook, .instagram: (nil, ReplyChecker.Readable(japanese: 200, other: 400))
        case .email: (nil, ReplyChecker.Readable(japanese: 800, other: 1_600))
        case .api, .form: (nil, nil)
        }
    }
}
