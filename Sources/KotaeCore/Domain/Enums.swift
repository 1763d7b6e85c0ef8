/// Where a conversation stands in the queue.
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the shop.
    case open
    /// Waiting for the customer: clocks are paused.
    case pending
    /// Hidden until a time; clocks keep running for a waiting customer.
    case snoozed
    case resolved
}

public enum Priority: String, Codable, Sendable, CaseIterable {
    case none, low, medium, high, urgent

    /// Sort weight: higher is more urgent.
    public var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .urgent: 4
        }
    }
}

public enum MessageKind: String, Codable, Sendable, CaseIterable {
    /// From the customer.
    case inbound
    /// To the customer.
    case outbound
    /// Private note between agents; never sent.
    case note
    /// Written by Kotae (status changes, assignments).
    case system
    /// Sent to the customer by another tool's bot or auto-responder: shown, but it answers no one.
    case automated
}

public enum DeliveryState: String, Codable, Sendable, CaseIterable {
    case received
    case queued
    case sent
    case failed
    /// Written, held for a supervisor's approval (承認待ち): nothing is sent yet.
    case awaitingApproval = "awaiting_approval"
    /// Sent back to its author with a comment (差戻し); never sent.
    case returned
}

public enum UserRole: String, Codable, Sendable, CaseIterable {
    case agent
    case admin
}

/// Why a conversation was closed without a reply. A close with no reply needs one,
/// so that "nobody ignored" stays true and the report says why.
public enum NoReplyReason: String, Codable, Sendable, CaseIterable {
    case spam
    case duplicate
    case noAnswerNeeded = "no_answer_needed"
    case answeredElsewhere = "answered_elsewhere"
    case other
}
