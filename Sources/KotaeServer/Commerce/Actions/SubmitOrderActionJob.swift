import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// Sends an approved fix to its shop system, once: the move to `submitted` is taken by one
/// runner only, and a retry (after a timeout, a crash) sends it again under the same key, which
/// the platform (or Kotae's own look-up by the key) recognises.
struct SubmitOrderActionJob: Sendable {
    let store: KotaeStore
    let connections: CommerceConnections
    let hub: EventHub
    let clock: AppClock

    func run(_ p: SubmitOrderAction) async throws -> JobRunner.JobResult {
        guard var action = try await store.orderActions.find(id: p.actionId) else { return .done }
        switch action.state {
        case .approved, .unknown:
            guard
                let moved = try await store.orderActions.move(id: action.id, from: [.approved, .unknown], to: .submitted, actor: nil, now: clock.now)
            else { return .done }
            action = moved
        case .submitted:
            break  // a retry of a submission whose answer was lost
        default:
            return .done
        }
        // Where it is carried out: the order's own store, or the one making its replacement.
        let acting = action.via ?? action.order.store
        guard let shop = try await store.commerceStores.find(id: acting),
            let source = try await connections.source(for: shop) as? any OrderActing,
            let order = try await store.orders.find(action.order)?.order
        else {
            try await settle(action, .failed, error: "the store or order is no longer there")
            return .done
        }
        do {
            switch try await source.perform(action, on: order) {
            case .confirmed(let result, let newOrder):
                try await settle(action, .confirmed, result: result, watch: newOrder.map { OrderKey(store: acting, id: $0) })
            case .refused(let words): try await settle(action, .failed, error: words)
            }
            return .done
        } catch let error as CommerceError where error.kind == .unreachable {
            // Not known whether it happened: said so, and asked again later under the same key.
            try await settle(action, .unknown, error: error.message)
            return .retry(error.message, after: nil)
        } catch {
            try await settle(action, .failed, error: (error as? CommerceError)?.message ?? "\(error)")
            return .done
        }
    }

    /// Ends a submission; a job given up while the answer is unknown leaves it `unknown`.
    func markDead(_ p: SubmitOrderAction, _ reason: String) async {
        _ = try? await store.orderActions.move(
            id: p.actionId, from: [.submitted, .approved], to: .unknown, actor: nil, now: clock.now, change: { $0.error = reason })
    }

    private func settle(
        _ action: OrderAction, _ state: OrderAction.State, result: String? = nil, watch: OrderKey? = nil, error: String? = nil
    ) async throws {
        let moved = try await store.orderActions.move(id: action.id, from: [.submitted], to: state, actor: nil, now: clock.now) {
            $0.result = result ?? $0.result
            $0.watch = watch ?? $0.watch
            $0.error = error
        }
        if moved != nil { hub.publish(.conversationUpdated(action.conversationId, inbox: nil)) }
    }
}
