import KotaeCore

/// What a shop system answered to a fix submitted to it.
public enum ActionOutcome: Sendable, Equatable {
    /// Done; what it made (the refund's id, the replacement order's name, a code's last
    /// characters), and the platform's id of a new order to follow to its delivery.
    case confirmed(String, newOrder: String? = nil)
    /// Refused, in the platform's words.
    case refused(String)
}

/// A source that carries fixes out itself (Shopify). Each submission carries the action's key,
/// so submitting again after a lost answer does not do it twice. A `CommerceError` of kind
/// `unreachable` means the answer is not known.
public protocol OrderActing: OrderSource {
    func perform(_ action: OrderAction, on order: Order) async throws -> ActionOutcome
}

/// What Shopify suggests refunding for some items, shown before the agent confirms.
public struct RefundSuggestion: Sendable, Equatable, Codable {
    public var amount: Money
    public var maximum: Money
}
