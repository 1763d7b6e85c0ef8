import Foundation

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

/// Reads every order of a store changed since `since` into the cache: the nightly pass that
/// fills in what webhooks missed (Shopify drops a subscription after repeated failures, and
/// a shop may be down for longer than its four hours of retries).
public struct ReconcileOrders: JobPayload, Equatable {
    public static let kind = "commerce.reconcile"
    @StoredNumber public var store: ID
    public var since: Date

    public init(store: ID, since: Date) {
        self.store = store
        self.since = since
    }
}

/// Reads a BASE shop's recent orders into the cache (BASE cannot be searched by address, and
/// tells nothing by webhook): queued every quarter of an hour.
public struct SyncBaseOrders: JobPayload, Equatable {
    public static let kind = "commerce.sync-base"
    @StoredNumber public var store: ID

    public init(store: ID) { self.store = store }
}
