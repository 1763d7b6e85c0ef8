import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// What agents do about an order: ask for a fix, approve or reject one above a limit, mark a
/// manual task done. Each is a step of the action's record, never a pretence: the platform's
/// own answer is what confirms it.
struct OrderActionService: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections
    let clock: AppClock
    let wake: @Sendable () -> Void

    /// The most an agent may refund or give without an admin's approval, in yen (a workspace
    /// setting; admins have no limit).
    static let limitSetting = "order_action_limit_agent"
    static let defaultLimit: Decimal = 5_000

    struct Request: Decodable, Sendable {
        let store: ID
        let orderId: String
        let kind: OrderActionKind
        let lines: [OrderAction.Line]?
        let amount: String?
        let percent: Int?
        let reason: String?
    }

    func request(_ r: Request, conversationId: ID, by user: User) async throws -> OrderAction {
        guard try await store.conversations.conversation(id: conversationId) != nil else { throw APIError.notFound("conversation") }
        guard let shop = try await store.commerceStores.find(id: r.store) else { throw APIError.notFound("store") }
        guard let order = try await store.orders.find(OrderKey(store: r.store, id: r.orderId))?.order else { throw APIError.notFound("order") }
        let reason = (r.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw APIError.invalid("reason", "say why (it is written on the order and in the timeline)") }
        let lines = r.lines ?? []
        for line in lines {
            guard let item = order.lines.first(where: { $0.id == line.lineId }) else {
                throw APIError.invalid("lines", "\(order.number) has no item \(line.lineId)")
            }
            guard line.quantity > 0, line.quantity <= (item.currentQuantity ?? item.quantity) else {
                throw APIError.invalid("lines", "\(item.title): 1 to \(item.currentQuantity ?? item.quantity)")
            }
        }
        var amount: Money?
        switch r.kind {
        case .refund, .giftCard:
            guard let text = r.amount, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value > 0 else {
                throw APIError.invalid("amount", "the amount to \(r.kind == .refund ? "refund" : "give"), more than 0")
            }
            amount = Money(amount: text, currency: order.total?.currency ?? "JPY")
        case .reship:
            guard !lines.isEmpty else { throw APIError.invalid("lines", "which items to send again") }
        case .coupon:
            guard let p = r.percent, (1...100).contains(p) else { throw APIError.invalid("percent", "the discount in percent, 1 to 100") }
        case .cancel, .note:
            break
        }
        let now = clock.now
        let via = try await carrier(of: r.kind, for: shop)
        let acts = shop.platform.capabilities.actions.contains(r.kind) || via != nil
        var state: OrderAction.State = acts ? .approved : .manual
        if acts, user.role != .admin, let value = amount?.decimal, value > (try await limit()) { state = .requested }
        let action = OrderAction(
            conversationId: conversationId, order: order.key, orderNumber: order.number, kind: r.kind, state: state, amount: amount,
            lines: lines, percent: r.percent, reason: reason, checklist: acts ? [] : Self.checklist(r.kind, platform: shop.platform),
            via: via, secret: r.kind == .giftCard && acts ? Self.giftCardCode() : nil,
            requestedBy: user.id, decidedBy: state == .approved && amount != nil ? user.id : nil, createdAt: now, updatedAt: now)
        let saved = try await store.orderActions.create(action, actor: user.id)
        if saved.state == .approved { wake() }
        return saved
    }

    /// The Shopify store that makes a replacement the order's own shop system cannot (a
    /// Rakuten or BASE order's reship, where the shop set one), or nil.
    func carrier(of kind: OrderActionKind, for shop: CommerceStore) async throws -> ID? {
        guard kind == .reship, !shop.platform.capabilities.actions.contains(.reship), let id = shop.replacementStore,
            let target = try await store.commerceStores.find(id: id), target.platform.capabilities.actions.contains(.reship)
        else { return nil }
        return target.id
    }

    func limit() async throws -> Decimal {
        try await store.setting(Self.limitSetting).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } ?? Self.defaultLimit
    }

    /// An admin's decision on an action above an agent's limit.
    func decide(_ id: ID, approve: Bool, by admin: User) async throws -> OrderAction {
        guard
            let moved = try await store.orderActions.move(
                id: id, from: [.requested], to: approve ? .approved : .rejected, actor: admin.id, now: clock.now, change: { $0.decidedBy = admin.id })
        else { throw APIError.conflict("this action is not waiting for a decision") }
        if approve { wake() }
        return moved
    }

    /// A manual task someone did.
    func done(_ id: ID, by user: User) async throws -> OrderAction {
        guard
            let moved = try await store.orderActions.move(
                id: id, from: [.manual], to: .done, actor: user.id, now: clock.now, change: { $0.decidedBy = user.id })
        else { throw APIError.conflict("this action is not a task waiting to be done") }
        return moved
    }

    /// A gift card's code: 16 letters and digits (Shopify takes 8 to 20), from the system's
    /// secure generator, made before it is sent so a retry asks for the same card.
    static func giftCardCode() -> String {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return String((0..<16).map { _ in alphabet[Int(random.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The gift card's code for the agent who asked for it, once, after Shopify made the card.
    func revealCode(_ id: ID, to user: User) async throws -> String {
        guard let action = try await store.orderActions.find(id: id), action.kind == .giftCard else { throw APIError.notFound("gift card") }
        guard action.requestedBy == user.id else { throw APIError.forbidden("only the agent who asked for the gift card reads its code") }
        guard action.state == .confirmed else { throw APIError.conflict("the gift card is not made yet") }
        guard let code = try await store.orderActions.takeSecret(id: id) else {
            throw APIError.conflict("the code was shown once already; only its last characters remain (\(action.result ?? ""))")
        }
        return code
    }

    /// What a person does where the shop system cannot: keys of `WebStrings` (`task_<kind>_<n>`).
    static func checklist(_ kind: OrderActionKind, platform: CommercePlatform) -> [String] {
        let steps: [OrderActionKind: Int] = [.refund: 3, .reship: 3, .coupon: 2, .giftCard: 2, .cancel: 3, .note: 1]
        return (1...(steps[kind] ?? 1)).map { "task_\(kind.rawValue)_\($0)" }
    }
}
