import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// Reads one order whole from its store into the cache (`RefreshOrder`).
struct RefreshOrderJob: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections

    func run(_ p: RefreshOrder) async throws -> JobRunner.JobResult {
        guard let commerceStore = try await store.commerceStores.find(id: p.store) else { return .done }
        guard let source = try await connections.source(for: commerceStore) else {
            return .fail("\(commerceStore.name) has no credentials to read orders with")
        }
        do {
            guard let order = try await source.order(id: p.orderId) else { return .done }
            try await store.orders.save(order, keys: OrderKeys.of(order))
            if commerceStore.problem != nil { try await store.commerceStores.setProblem(id: p.store, nil) }
            return .done
        } catch let error as CommerceError {
            switch error.kind {
            case .unreachable: return .retry(error.message, after: nil)
            case .signIn, .refused, .badAnswer:
                try await store.commerceStores.setProblem(id: p.store, error.message)
                return .fail(error.message)
            }
        }
    }
}
