import Foundation

/// An order's state as a rule reads it, in the words a shop uses, from its payment, its
/// fulfilment and its parcels (every platform's states map to these). An order can be in
/// several at once (paid and shipped); `none` is a conversation with no order of the customer.
public enum RuleOrderState: String, Codable, Sendable, CaseIterable {
    case unpaid, paid, refunded, unshipped, shipped, delivered
    case deliveryProblem = "delivery_problem"
    case cancelled, none

    /// The states `order` is in.
    public static func of(_ order: Order) -> Set<RuleOrderState> {
        var out: Set<RuleOrderState> = []
        if order.cancelledAt != nil || order.fulfilment == .cancelled { out.insert(.cancelled) }
        switch order.payment {
        case .pending, .authorized, .expired: out.insert(.unpaid)
        case .paid, .partiallyPaid: out.insert(.paid)
        case .refunded, .partiallyRefunded: out.insert(.refunded)
        case .voided, .unknown: break
        }
        let troubled: Set<ShipmentStatus> = [.delayed, .notDelivered, .failed, .attemptedDelivery]
        if order.shipments.contains(where: { troubled.contains($0.status) }) { out.insert(.deliveryProblem) }
        if order.delivered == true {
            out.insert(.delivered)
        } else if !order.shipments.isEmpty || [.fulfilled, .partiallyFulfilled].contains(order.fulfilment) {
            out.insert(.shipped)
        } else if !out.contains(.cancelled) {
            out.insert(.unshipped)
        }
        return out
    }

    /// The states of a conversation's orders together (`none` when it has none).
    public static func of(_ orders: [Order]) -> Set<RuleOrderState> {
        orders.isEmpty ? [.none] : orders.reduce(into: []) { $0.formUnion(of($1)) }
    }
}
