import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Once a night (after 03:00 in the shop's time zone), a `ReconcileOrders` job per Shopify
/// store, queued once per store and night however many workers run, reading what changed since
/// the last pass; every quarter hour a `SyncBaseOrders` job per BASE shop.
struct OrderReconciliation: Service {
    let store: KotaeStore
    let clock: AppClock
    let logger: Logger
    var interval: Duration = .seconds(300)
    static let hour = 3
    static let timeZone = ShopDates.japan
    /// The first pass of a store reads this far back.
    static let firstPassDays = 60

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await queueDue() } catch { logger.warning("order reconciliation could not be queued", metadata: ["error": "\(error)"]) }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
        }
    }

    /// How often a BASE shop's recent orders are read.
    static let baseEvery: TimeInterval = 900

    /// Queues tonight's pass of every Shopify store whose night has come, and this quarter
    /// hour's read of every BASE shop.
    func queueDue() async throws {
        let now = clock.now
        let stores = try await store.commerceStores.all()
        let quarter = Int(now.timeIntervalSince1970 / Self.baseEvery)
        for s in stores where s.platform == .base {
            try await store.jobs.enqueueOnce(key: "commerce.sync:\(s.id):\(quarter)", SyncBaseOrders(store: s.id), now: now)
        }
        guard let night = Self.night(of: now) else { return }
        for s in stores where s.platform == .shopify {
            let last = try await store.setting(Self.settingKey(s.id)).flatMap { try? Date.ISO8601FormatStyle().parse($0) }
            let since = last ?? now.addingTimeInterval(-Double(Self.firstPassDays) * 86_400)
            try await store.jobs.enqueueOnce(key: "commerce.reconcile:\(s.id):\(night)", ReconcileOrders(store: s.id, since: since), now: now)
        }
    }

    /// The night `now` belongs to once its pass is due (`2026-12-02` from 03:00 that day), else nil.
    static func night(of now: Date) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: now)
        guard let hour = parts.hour, hour >= Self.hour, let y = parts.year, let m = parts.month, let d = parts.day else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    static func settingKey(_ store: ID) -> String { "commerce_reconciled_\(store)" }
}

/// Reads a store's changed orders into the cache (`ReconcileOrders`).
struct ReconcileOrdersJob: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections
    let clock: AppClock

    func run(_ p: ReconcileOrders) async throws -> JobRunner.JobResult {
        guard let commerceStore = try await store.commerceStores.find(id: p.store) else { return .done }
        guard let source = try await connections.source(for: commerceStore) as? ShopifyOrderSource else {
            return .fail("\(commerceStore.name) cannot be read for changed orders")
        }
        let started = clock.now
        do {
            try await source.ordersUpdated(since: p.since) { page in
                try await store.orders.save(page.map { ($0, OrderKeys.of($0)) }, seenAt: clock.now)
            }
            try await store.setSetting(OrderReconciliation.settingKey(p.store), started.formatted(Date.ISO8601FormatStyle()))
            if commerceStore.problem != nil { try await store.commerceStores.setProblem(id: p.store, nil) }
            return .done
        } catch let error as CommerceError {
            try await store.commerceStores.setProblem(id: p.store, error.message)
            return error.kind == .unreachable ? .retry(error.message, after: nil) : .fail(error.message)
        }
    }
}

/// Reads a BASE shop's orders of the last 60 days into the cache: the list each time (a few
/// calls), the detail only of orders changed since Kotae last read them.
struct SyncBaseOrdersJob: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections
    let clock: AppClock
    static let lookbackDays = 60

    func run(_ p: SyncBaseOrders) async throws -> JobRunner.JobResult {
        guard let shop = try await store.commerceStores.find(id: p.store) else { return .done }
        guard let source = try await connections.source(for: shop) as? BaseOrderSource else { return .fail("\(shop.name) has no BASE credentials") }
        let now = clock.now
        do {
            _ = try await source.sync(
                since: now.addingTimeInterval(-Double(Self.lookbackDays) * 86_400), until: now,
                known: { try await store.orders.find(OrderKey(store: p.store, id: $0))?.order.updatedAt },
                save: { try await store.orders.save($0.map { ($0, OrderKeys.of($0)) }, seenAt: clock.now) })
            if shop.problem != nil { try await store.commerceStores.setProblem(id: p.store, nil) }
            return .done
        } catch let error as CommerceError {
            try await store.commerceStores.setProblem(id: p.store, error.message)
            // The next quarter hour's job reads again; this one ends.
            return error.kind == .unreachable ? .retry(error.message, after: nil) : .fail(error.message)
        }
    }
}
