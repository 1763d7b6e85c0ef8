import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Sends each follow-up when it is due: its parcel delivered, or — where carriers never report
/// delivery — `days` after it shipped (or after a fix with no parcel, or one done by hand). Cancelled when the
/// customer wrote again first (or an agent reopened the conversation: `Conversations.change`); skipped, saying why, when the channel does not allow a message
/// now (Messenger's window closed, a block, an address that bounces, LINE's monthly pushes
/// nearly used up).
struct DeliveryFollowUpService: Service {
    let store: KotaeStore
    let channels: ChannelRegistry
    let hub: EventHub
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    /// Workspace settings: how many days after shipping when no delivery is reported, and the text.
    static let daysSetting = "follow_up_days"
    static let textSetting = "follow_up_text"
    static let defaultDays = 5.0
    static let defaultText = "{contact.name} 様、その後、ご注文 {order.number} について何か問題はございませんか？お気づきの点があれば、このままご返信ください。"

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await sendDue() } catch { logger.warning("follow-ups could not be sent", metadata: ["error": "\(error)"]) }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
        }
    }

    /// One pass over the waiting follow-ups.
    func sendDue() async throws {
        let now = clock.now
        let days = try await store.setting(Self.daysSetting).flatMap(Double.init) ?? Self.defaultDays
        for f in try await store.deliveryFollowUps.waiting() {
            guard let c = try await store.conversations.conversation(id: f.conversationId) else { continue }
            if try await store.conversations.customerWrote(conversationId: c.id, after: f.createdAt) {
                _ = try await store.deliveryFollowUps.close(f, .cancelled, note: "the customer wrote again", now: now)
                continue
            }
            let order = try await store.orders.find(f.order)?.order
            guard Self.isDue(f, order: order, now: now, days: days) else { continue }
            if let why = try await channels.unpromptedRefusal(for: c) {
                _ = try await store.deliveryFollowUps.close(f, .skipped, note: why, now: now)
                hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
                continue
            }
            let contact = try await store.contacts.contact(id: c.contactId)
            let template = CannedTemplate(try await store.setting(Self.textSetting) ?? Self.defaultText)
            let text = template.render(["contact.name": contact?.name ?? "", "order.number": f.orderNumber])
            if try await store.deliveryFollowUps.send(f, text: text, now: now) {
                // One question per conversation: the other fixes' follow-ups are covered by it.
                for other in try await store.deliveryFollowUps.of(conversationId: c.id) where other.state == .waiting {
                    _ = try await store.deliveryFollowUps.close(other, .cancelled, note: "asked already", now: now)
                }
                hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
            }
        }
    }

    /// Delivered, or `days` after the parcel left (after the fix itself when nothing ships).
    static func isDue(_ f: DeliveryFollowUp, order: Order?, now: Date, days: Double) -> Bool {
        let wait = days * 86_400
        // Done by hand: whatever was sent went outside the shop system, where Kotae cannot follow it.
        if f.byHand { return now.timeIntervalSince(f.createdAt) >= wait }
        if order?.delivered == true { return true }
        if let shipped = order?.shipments.compactMap({ $0.createdAt ?? $0.inTransitAt }).min() { return now.timeIntervalSince(shipped) >= wait }
        // A replacement not shipped yet is waited for; a refund or a coupon has no parcel.
        return f.kind != .reship && now.timeIntervalSince(f.createdAt) >= wait
    }
}
