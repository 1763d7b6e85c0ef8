import Foundation

/// The message after a fix asking whether all is now well: sent once the parcel is delivered
/// (or, where carriers never say, some days after it shipped or the fix was made), on the
/// customer's channel if its rules allow; never if the customer wrote again first.
public struct DeliveryFollowUp: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case waiting, sent
        /// Due, but the channel does not allow it (Messenger's window closed, a block, a bounce).
        case skipped
        /// The customer wrote again, or an agent reopened the conversation, before it was due:
        /// the conversation goes on instead.
        case cancelled
    }

    public var id: ID
    public var conversationId: ID
    /// The order whose parcel is waited for (a replacement's, for a reship).
    public var order: OrderKey
    public var orderNumber: String
    public var actionId: ID
    public var kind: OrderActionKind
    /// Done by hand outside the shop system (a task): its parcel, if any, is not one Kotae
    /// can follow, so the follow-up goes the set days after the fix.
    public var byHand: Bool
    public var state: State
    /// Why it was skipped or cancelled.
    public var note: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID = 0, conversationId: ID, order: OrderKey, orderNumber: String, actionId: ID, kind: OrderActionKind, byHand: Bool = false,
        state: State = .waiting,
        note: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.conversationId = conversationId
        self.order = order
        self.orderNumber = orderNumber
        self.actionId = actionId
        self.kind = kind
        self.byHand = byHand
        self.state = state
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, conversationId, order, orderNumber, actionId, kind, byHand, state, note, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id), conversationId: try c.decode(ID.self, forKey: .conversationId),
            order: try c.decode(OrderKey.self, forKey: .order), orderNumber: try c.decode(String.self, forKey: .orderNumber),
            actionId: try c.decode(ID.self, forKey: .actionId), kind: try c.decode(OrderActionKind.self, forKey: .kind),
            byHand: try c.decodeIfPresent(Bool.self, forKey: .byHand) ?? false, state: try c.decode(State.self, forKey: .state),
            note: try c.decodeIfPresent(String.self, forKey: .note), createdAt: try c.decode(Date.self, forKey: .createdAt),
            updatedAt: try c.decode(Date.self, forKey: .updatedAt))
    }
}
