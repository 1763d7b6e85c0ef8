/// Reads one order whole from its store into the cache: after a webhook that changes part of
/// an order Kotae has not cached (a fulfilment, a refund), and for a nightly reconciliation.
public struct RefreshOrder: JobPayload, Equatable {
    public static let kind = "commerce.refresh-order"
    @StoredNumber public var store: ID
    public var orderId: String

    public init(store: ID, orderId: String) {
        self.store = store
        self.orderId = orderId
    }
}
