import Foundation

extension GraphClient.Messaging {
    /// Meta's messaging window: an answer within 24 hours of the customer's last message, or
    /// within 7 days with the human agent tag when the page has it; after that none.
    /// `lastCustomerMessage` nil: the customer never wrote privately.
    public static func window(lastCustomerMessage: Date?, humanAgentTag: Bool, now: Date = Date()) -> Self? {
        guard let last = lastCustomerMessage else { return nil }
        let age = now.timeIntervalSince(last)
        if age < 24 * 3600 { return .response }
        if humanAgentTag && age < 7 * 86400 { return .humanAgent }
        return nil
    }
}
