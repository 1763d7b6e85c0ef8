import Foundation
import KotaeCore
import SQLKit

/// The local copy of every connected store's orders: filled by webhooks and by reads from
/// the platform, found by the addresses, phones and numbers a conversation gives. The sidebar
/// renders from here, so a slow or unreachable store never holds it up.
public struct CommerceOrders: Sendable {
    let db: KotaeDatabase

    /// What a webhook delivery did.
    public enum Outcome: Sendable, Equatable {
        case stored
        /// Its delivery or event id was seen before.
        case duplicate
        /// The cache already holds a newer state of the order.
        case stale
        /// The order is not cached: a `RefreshOrder` job, committed with the delivery, reads it.
        case fetching
    }

    /// The columns an order is found by, normalised as lookups write them.
    public struct Keys: Sendable {
        public var email: String?
        public var phone: String?
        /// The buyer's name as `nameKey` writes it: never a match, only a suggestion.
        public var name: String?

        public init(email: String?, phone: String?, name: String? = nil) {
            self.email = email
            self.phone = phone
            self.name = name
        }
    }

    /// A name as names are compared: NFKC, no spaces of any width, lower case
    /// (「山田　花子」 and 「山田花子」 are one).
    public static func nameKey(_ name: String?) -> String? {
        guard let name else { return nil }
        let key = name.precomposedStringWithCompatibilityMapping.lowercased().filter { !$0.isWhitespace }
        return key.count >= 2 ? key : nil
    }

    static let columns = "data, seen_at"

    static func cached(_ r: any SQLRow) throws -> CachedOrder {
        CachedOrder(order: try JSON.decode(Order.self, try r.string("data")), seenAt: try r.date("seen_at"))
    }

    /// Saves `order` unless the cache holds a newer state of it; true when saved.
    @discardableResult
    public func save(_ order: Order, keys: Keys, seenAt: Date = Date()) async throws -> Bool {
        try await db.write { db in try await Self.upsert(order, keys: keys, seenAt: seenAt, in: db) }
    }

    /// Saves orders read from the platform in one transaction.
    public func save(_ orders: [(Order, Keys)], seenAt: Date = Date()) async throws {
        guard !orders.isEmpty else { return }
        try await db.write { db in
            for (order, keys) in orders { _ = try await Self.upsert(order, keys: keys, seenAt: seenAt, in: db) }
        }
    }

    /// A webhook's order, committed with its delivery's ids so a redelivery stores nothing.
    public func record(_ order: Order, keys: Keys, deliveryIds: [String], now: Date = Date()) async throws -> Outcome {
        try await db.write { db in
            for id in deliveryIds where !(try await OnceKeys.claim(id, in: db, now: now)) { return .duplicate }
            return try await Self.upsert(order, keys: keys, seenAt: now, in: db) ? .stored : .stale
        }
    }

    /// A webhook's shipment, merged into its cached order (a newer order read already holds
    /// it); an order not cached yet is read whole by a job committed with the delivery.
    public func record(
        shipment: Shipment, at: Date, of key: OrderKey, deliveryIds: [String], now: Date = Date()
    ) async throws -> Outcome {
        try await db.write { db in
            for id in deliveryIds where !(try await OnceKeys.claim(id, in: db, now: now)) { return .duplicate }
            guard
                let row = try await db.raw(
                    "SELECT data, email, phone FROM commerce_orders WHERE store_id = \(bind: key.store) AND order_id = \(bind: key.id)"
                ).first()
            else {
                try await JobQueue(db: self.db).enqueue(RefreshOrder(store: key.store, orderId: key.id), in: db, now: now)
                return .fetching
            }
            var order = try JSON.decode(Order.self, try row.string("data"))
            guard order.updatedAt < at else { return .stale }
            if let i = order.shipments.firstIndex(where: { $0.id == shipment.id }) {
                order.shipments[i] = shipment
            } else {
                order.shipments.append(shipment)
            }
            order.updatedAt = at
            let keys = Keys(email: try row.stringOpt("email"), phone: try row.stringOpt("phone"))
            return try await Self.upsert(order, keys: keys, seenAt: now, in: db) ? .stored : .stale
        }
    }

    /// Claims a webhook delivery's ids, and queues `then` in the same transaction (a refund
    /// changes amounts the body does not carry: the order is read afresh). False for a redelivery.
    public func claim(deliveryIds: [String], then job: RefreshOrder? = nil, now: Date = Date()) async throws -> Bool {
        try await db.write { db in
            for id in deliveryIds where !(try await OnceKeys.claim(id, in: db, now: now)) { return false }
            if let job { try await JobQueue(db: self.db).enqueue(job, in: db, now: now) }
            return true
        }
    }

    static func upsert(_ order: Order, keys: Keys, seenAt: Date, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            INSERT INTO commerce_orders (store_id, order_id, number, email, phone, name_key, customer_id, created_at, updated_at, seen_at, data)
            VALUES (\(bind: order.key.store), \(bind: order.key.id), \(bind: order.number), \(bind: keys.email), \(bind: keys.phone),
                    \(bind: nameKey(keys.name ?? order.customerName)), \(bind: order.customerId), \(bind: order.createdAt.epoch),
                    \(bind: order.updatedAt.epoch), \(bind: seenAt.epoch), \(bind: JSON.string(order)))
            ON CONFLICT (store_id, order_id) DO UPDATE SET
              number = excluded.number, email = excluded.email, phone = excluded.phone, name_key = excluded.name_key,
              customer_id = excluded.customer_id,
              created_at = excluded.created_at, updated_at = excluded.updated_at, seen_at = excluded.seen_at, data = excluded.data
            WHERE commerce_orders.updated_at <= excluded.updated_at
            RETURNING order_id
            """
        ).first() != nil
    }

    public func find(_ key: OrderKey) async throws -> CachedOrder? {
        try await db.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM commerce_orders WHERE store_id = \(bind: key.store) AND order_id = \(bind: key.id)"
            ).first().map(Self.cached)
        }
    }

    /// Orders of any of `emails` (lowercased) or `phones` (E.164), newest first.
    public func of(emails: [String], phones: [String], limit: Int = 20) async throws -> [CachedOrder] {
        guard !emails.isEmpty || !phones.isEmpty else { return [] }
        return try await db.read { db in
            var found: [CachedOrder] = []
            for (column, values) in [("email", emails), ("phone", phones)] where !values.isEmpty {
                let rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns), created_at FROM commerce_orders
                    WHERE \(unsafeRaw: column) IN (\(binds: values)) ORDER BY created_at DESC LIMIT \(bind: limit)
                    """
                ).all()
                found += try rows.map(Self.cached)
            }
            var seen = Set<OrderKey>()
            return found.filter { seen.insert($0.order.key).inserted }.sorted { $0.order.createdAt > $1.order.createdAt }.prefix(limit).map { $0 }
        }
    }

    /// Orders bought under `name` (as `nameKey` writes it), newest first: suggestions only.
    public func named(_ name: String, limit: Int = 5) async throws -> [CachedOrder] {
        guard let key = Self.nameKey(name) else { return [] }
        return try await db.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM commerce_orders WHERE name_key = \(bind: key) ORDER BY created_at DESC LIMIT \(bind: limit)"
            ).all().map(Self.cached)
        }
    }

    /// Orders with `number` in `store`.
    public func numbered(_ number: String, store: ID) async throws -> [CachedOrder] {
        try await db.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM commerce_orders WHERE number = \(bind: number) AND store_id = \(bind: store)"
            ).all().map(Self.cached)
        }
    }

    /// The orders an agent linked to `conversationId`.
    public func linked(to conversationId: ID) async throws -> [OrderKey] {
        try await db.read { db in
            try await db.raw(
                "SELECT store_id, order_id FROM conversation_orders WHERE conversation_id = \(bind: conversationId) ORDER BY linked_at"
            ).all().map { OrderKey(store: try $0.int("store_id"), id: try $0.string("order_id")) }
        }
    }

    /// Remembers the agent's choice of `key` for `conversationId`.
    public func link(_ key: OrderKey, to conversationId: ID, by userId: ID?, now: Date = Date()) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO conversation_orders (conversation_id, store_id, order_id, linked_by, linked_at)
                VALUES (\(bind: conversationId), \(bind: key.store), \(bind: key.id), \(bind: userId), \(bind: now.epoch))
                ON CONFLICT (conversation_id, store_id, order_id) DO NOTHING
                """
            ).run()
        }
    }
}
