import Foundation
import KotaeCore
import SQLKit

/// Fixes on orders as records. Every change of state is one compare-and-set: an action moves
/// only from the states a step allows, so two clicks, two workers or a retried job never
/// submit it twice. Each step is written to the conversation's audit log (its timeline) in
/// the same transaction, and a step that sends it to the platform queues that job there too.
public struct OrderActions: Sendable {
    let db: KotaeDatabase
    let secrets: SecretBox

    func action(_ r: any SQLRow) throws -> OrderAction {
        var action = try JSON.decode(OrderAction.self, try r.string("data"))
        action.id = try r.int("id")
        action.state = try r.enumValue("state", OrderAction.State.self)
        action.secret = try r.stringOpt("secret").map { try secrets.open($0) }
        return action
    }

    static let columns = "id, state, data, secret"

    /// Records `action` (its id is given here) and its first step.
    public func create(_ action: OrderAction, actor: ID?) async throws -> OrderAction {
        try await db.write { db in
            let row = try await db.raw(
                """
                INSERT INTO order_actions (key, conversation_id, store_id, order_id, kind, state, data, secret, created_at, updated_at)
                VALUES (\(bind: action.key), \(bind: action.conversationId), \(bind: action.order.store), \(bind: action.order.id),
                        \(bind: action.kind.rawValue), \(bind: action.state.rawValue), \(bind: JSON.string(action)),
                        \(bind: try action.secret.map { try secrets.seal($0) }), \(bind: action.createdAt.epoch), \(bind: action.updatedAt.epoch))
                RETURNING id
                """
            ).first()!
            var saved = action
            saved.id = try row.int("id")
            try await Self.logStep(saved, actor: actor, in: db)
            if saved.state == .approved {
                try await JobQueue(db: self.db).enqueue(SubmitOrderAction(actionId: saved.id), in: db, now: saved.updatedAt)
            }
            return saved
        }
    }

    public func find(id: ID) async throws -> OrderAction? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM order_actions WHERE id = \(bind: id)").first().map(action)
        }
    }

    public func of(conversationId: ID) async throws -> [OrderAction] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM order_actions WHERE conversation_id = \(bind: conversationId) ORDER BY id")
                .all().map(action)
        }
    }

    /// Moves action `id` to `to` if it is in one of `from`, changing it with `change`; nil when
    /// it was not (someone else moved it first). `.approved` queues its submission with it.
    public func move(
        id: ID, from: Set<OrderAction.State>, to: OrderAction.State, actor: ID?, now: Date = Date(),
        change: @escaping @Sendable (inout OrderAction) -> Void = { _ in }
    ) async throws -> OrderAction? {
        try await db.write { db in
            guard let row = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM order_actions WHERE id = \(bind: id)").first() else {
                return nil
            }
            var action = try self.action(row)
            guard from.contains(action.state) else { return nil }
            let was = action.state
            action.state = to
            action.updatedAt = now
            change(&action)
            let moved = try await db.raw(
                """
                UPDATE order_actions SET state = \(bind: to.rawValue), data = \(bind: JSON.string(action)), updated_at = \(bind: now.epoch)
                WHERE id = \(bind: id) AND state = \(bind: was.rawValue) RETURNING id
                """
            ).first()
            guard moved != nil else { return nil }
            try await Self.logStep(action, actor: actor, in: db)
            if to == .approved { try await JobQueue(db: self.db).enqueue(SubmitOrderAction(actionId: id), in: db, now: now) }
            if to == .confirmed || to == .done { try await DeliveryFollowUps.make(for: action, in: db, now: now) }
            return action
        }
    }

    /// A gift card's code, once: answered and forgotten in one transaction, so two clicks
    /// cannot both read it. nil when there is none left to show.
    public func takeSecret(id: ID) async throws -> String? {
        try await db.write { db in
            guard
                let sealed = try await db.raw("SELECT secret FROM order_actions WHERE id = \(bind: id) AND secret IS NOT NULL").first()?.stringOpt(
                    "secret"),
                try await db.raw("UPDATE order_actions SET secret = NULL WHERE id = \(bind: id) AND secret IS NOT NULL RETURNING id").first() != nil
            else { return nil }
            return try secrets.open(sealed)
        }
    }

    /// The step on the conversation's timeline: who, which fix, of which order, for how much.
    static func logStep(_ action: OrderAction, actor: ID?, in db: any SQLDatabase) async throws {
        var data = ["id": String(action.id), "kind": action.kind.rawValue, "state": action.state.rawValue, "number": action.orderNumber]
        if let amount = action.amount { data["amount"] = amount.amount; data["currency"] = amount.currency }
        if let error = action.error, action.state == .failed || action.state == .unknown { data["error"] = error }
        try await KotaeStore.appendEvent(db, type: "order.action", actor: actor, conversation: action.conversationId, data: data)
    }
}
