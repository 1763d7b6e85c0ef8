import Foundation

/// A fix an agent records on an order.
public enum OrderActionKind: String, Codable, Sendable, CaseIterable {
    /// A replacement order at no charge.
    case reship
    case refund
    /// A one-use discount code for this customer's next order.
    case coupon
    case giftCard
    case cancel
    /// A note and tag on the order itself.
    case note
}

/// A fix (reship, refund, coupon…) as a record on the conversation: requested, approved where
/// a limit asks for it, submitted once under its own idempotency key, and then confirmed,
/// failed in the platform's words, or unknown (no answer: never assumed done). Where the shop
/// system cannot carry it out, it is a manual task with a checklist, still tracked.
public struct OrderAction: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Above the requester's limit: waits for an admin.
        case requested
        case approved
        /// Sent to the platform; its answer is not in yet.
        case submitted
        case confirmed
        case failed
        /// The platform gave no clear answer (a timeout): not done, not failed; checked again.
        case unknown
        /// The admin said no.
        case rejected
        /// The shop system cannot do it: a person does, following the checklist.
        case manual
        /// A manual task someone marked done.
        case done

        /// Nothing more will happen to it.
        public var isFinal: Bool { [.confirmed, .failed, .rejected, .done].contains(self) }
    }

    /// One item of the order, and how many of it.
    public struct Line: Codable, Sendable, Equatable {
        public var lineId: String
        public var quantity: Int

        public init(lineId: String, quantity: Int) {
            self.lineId = lineId
            self.quantity = quantity
        }
    }

    public var id: ID
    /// Sent as the platform's idempotency key and written on what it creates, so a retry
    /// never makes a second refund or replacement order.
    public var key: String
    public var conversationId: ID
    public var order: OrderKey
    public var orderNumber: String
    public var kind: OrderActionKind
    public var state: State
    /// What it costs the shop (a refund, a gift card), for limits.
    public var amount: Money?
    /// The items it concerns (a refund's, a reship's).
    public var lines: [Line]
    /// A coupon's discount in percent.
    public var percent: Int?
    /// Why, in the agent's words; written on the order too.
    public var reason: String
    /// What a person must do, for a manual task.
    public var checklist: [String]
    /// What the platform made: the refund's or draft order's id, a code's last characters.
    public var result: String?
    /// The order whose delivery the follow-up waits for, when it is not `order` (a reship's
    /// replacement).
    public var watch: OrderKey?
    /// The store that carries it out, when not the order's own: a Rakuten or BASE order's
    /// replacement made as a draft order in the shop's Shopify store.
    public var via: ID?
    /// A gift card's code, made by Kotae before it is sent: kept sealed in the store and shown
    /// to the agent once; nil after that, and never in the API's answers.
    public var secret: String?
    /// The platform's words when it refused, or what is not known.
    public var error: String?
    public var requestedBy: ID?
    public var decidedBy: ID?
    public var createdAt: Date
    public var updatedAt: Date

    /// Everything but the secret, which is stored apart (sealed) and never answered.
    enum CodingKeys: String, CodingKey {
        case id, key, conversationId, order, orderNumber, kind, state, amount, lines, percent, reason, checklist, result, watch, via, error
        case requestedBy, decidedBy, createdAt, updatedAt
    }

    public init(
        id: ID = 0, key: String = "kotae-action-" + UUID().uuidString.lowercased(), conversationId: ID, order: OrderKey, orderNumber: String,
        kind: OrderActionKind, state: State, amount: Money? = nil, lines: [Line] = [], percent: Int? = nil, reason: String,
        checklist: [String] = [], result: String? = nil, via: ID? = nil, secret: String? = nil, error: String? = nil, requestedBy: ID?,
        decidedBy: ID? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.key = key
        self.conversationId = conversationId
        self.order = order
        self.orderNumber = orderNumber
        self.kind = kind
        self.state = state
        self.amount = amount
        self.lines = lines
        self.percent = percent
        self.reason = reason
        self.checklist = checklist
        self.result = result
        self.via = via
        self.secret = secret
        self.error = error
        self.requestedBy = requestedBy
        self.decidedBy = decidedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Submits one action to its shop system.
public struct SubmitOrderAction: JobPayload, Equatable {
    public static let kind = "commerce.submit-action"
    @StoredNumber public var actionId: ID

    public init(actionId: ID) { self.actionId = actionId }
}
