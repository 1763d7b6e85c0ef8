import Foundation
import KotaeCore
import SQLKit

/// Follow-ups after fixes: made with the fix's confirmation, in its transaction; settled once,
/// by compare-and-set, the message (if it goes) written and queued in the same transaction.
public struct DeliveryFollowUps: Sendable {
    let db: KotaeDatabase

    /// The kinds of fix a customer is asked about afterwards (a tag on the order is not one).
    static let asked: Set<OrderActionKind> = [.reship, .refund, .coupon, .giftCard, .cancel]

    static func followUp(_ r: any SQLRow) throws -> DeliveryFollowUp {
        var f = try JSON.decode(DeliveryFollowUp.self, try r.string("data"))
        f.id = try r.int("id")
        f.state = try r.enumValue("state", DeliveryFollowUp.State.self)
        return f
    }

    /// Inside the transaction that confirmed `action`.
    static func make(for action: OrderAction, in db: any SQLDatabase, now: Date) async throws {
        guard asked.contains(action.kind) else { return }
        let f = DeliveryFollowUp(
            conversationId: action.conversationId, order: action.watch ?? action.order, orderNumber: action.orderNumber, actionId: action.id,
            kind: action.kind, byHand: action.state == .done, createdAt: now, updatedAt: now)
        try await db.raw(
            """
            INSERT INTO delivery_follow_ups (conversation_id, action_id, state, data, created_at, updated_at)
            VALUES (\(bind: f.conversationId), \(bind: f.actionId), 'waiting', \(bind: JSON.string(f)), \(bind: now.epoch), \(bind: now.epoch))
            ON CONFLICT (action_id) DO NOTHING
            """
        ).run()
    }

    public func waiting(limit: Int = 500) async throws -> [DeliveryFollowUp] {
        try await db.read { db in
            try await db.raw(
                "SELECT id, state, data FROM delivery_follow_ups WHERE state = 'waiting' ORDER BY created_at LIMIT \(bind: limit)"
            ).all().map(Self.followUp)
        }
    }

    public func of(conversationId: ID) async throws -> [DeliveryFollowUp] {
        try await db.read { db in
            try await db.raw("SELECT id, state, data FROM delivery_follow_ups WHERE conversation_id = \(bind: conversationId) ORDER BY id")
                .all().map(Self.followUp)
        }
    }

    /// Sends the follow-up: the message, its delivery job and the step, in one transaction;
    /// false when it was settled already.
    public func send(_ f: DeliveryFollowUp, text: String, now: Date) async throws -> Bool {
        try await db.write { db in
            guard try await Self.settle(f, .sent, note: nil, in: db, now: now) else { return false }
            guard let c = try await Conversations.loadConversation(db, id: f.conversationId) else { return false }
            _ = try await Conversations(db: self.db).queueAutomated(
                text, in: c, details: MessageDetails(kotae: "followUp"), privately: c.isPublic, db: db, now: now)
            return true
        }
    }

    /// Inside the transaction that reopened `conversationId`: the conversation goes on, so the
    /// question whether all is well would come at the wrong time.
    static func cancelWaiting(_ db: any SQLDatabase, conversationId: ID, note: String, now: Date) async throws {
        let waiting = try await db.raw(
            "SELECT id, state, data FROM delivery_follow_ups WHERE conversation_id = \(bind: conversationId) AND state = 'waiting' ORDER BY id"
        ).all().map(Self.followUp)
        for f in waiting { _ = try await settle(f, .cancelled, note: note, in: db, now: now) }
    }

    /// Skips or cancels it, saying why.
    public func close(_ f: DeliveryFollowUp, _ state: DeliveryFollowUp.State, note: String, now: Date) async throws -> Bool {
        try await db.write { db in try await Self.settle(f, state, note: note, in: db, now: now) }
    }

    static func settle(_ f: DeliveryFollowUp, _ state: DeliveryFollowUp.State, note: String?, in db: any SQLDatabase, now: Date) async throws -> Bool
    {
        var settled = f
        settled.state = state
        settled.note = note
        settled.updatedAt = now
        guard
            try await db.raw(
                """
                UPDATE delivery_follow_ups SET state = \(bind: state.rawValue), data = \(bind: JSON.string(settled)), updated_at = \(bind: now.epoch)
                WHERE id = \(bind: f.id) AND state = 'waiting' RETURNING id
                """
            ).first() != nil
        else { return false }
        var data = ["state": state.rawValue, "number": f.orderNumber, "kind": f.kind.rawValue]
        if let note { data["note"] = note }
        try await KotaeStore.appendEvent(db, type: "order.followUp", actor: nil, conversation: f.conversationId, data: data)
        return true
    }
}
