import Foundation

/// What a customer's message is about, in the labels of `shared/eval/triage.jsonl`.
public enum TriageIntent: String, Codable, Sendable, CaseIterable {
    case whereIsMyOrder = "where_is_my_order"
    case wrongItem = "wrong_item"
    case defect
    case returnExchange = "return_exchange"
    case refund
    case cancel
    case addressChange = "address_change"
    case payment
    case productQuestion = "product_question"
    case praise
    case complaintService = "complaint_service"
    case spam
    case other
}

public enum TriageSentiment: String, Codable, Sendable, CaseIterable {
    case negative, neutral, positive
}

/// Triage of one message: intent with a confidence (0…1), tone, whether it should be handled
/// today, and whether anyone should answer it at all.
public struct TriageResult: Codable, Sendable, Hashable {
    public var intent: TriageIntent
    public var confidence: Double
    public var sentiment: TriageSentiment
    public var urgent: Bool
    public var needsReply: Bool

    public init(intent: TriageIntent, confidence: Double, sentiment: TriageSentiment, urgent: Bool, needsReply: Bool) {
        self.intent = intent
        self.confidence = confidence
        self.sentiment = sentiment
        self.urgent = urgent
        self.needsReply = needsReply
    }
}
