import Foundation

extension GraphClient.Messaging {
    /// Meta's messaging window: an answer within 24 hours of the customer's last message, or
    /// within 7 days with the human agent tag when the page has it; after that none.
    /// `lastCustomerMessage` nil: the customer never wrote privately. Says how a reply is sent
    /// and until when.
    public static func window(lastCustomerMessage: Date?, humanAgentTag: Bool, now: Date = Date()) -> (Self, until: Date)? {
        guard let last = lastCustomerMessage else { return nil }
        let response = last.addingTimeInterval(24 * 3600), tagged = last.addingTimeInterval(7 * 86400)
        if now < response { return (.response, response) }
        if humanAgentTag && now < tagged { return (.humanAgent, tagged) }
        return nil
    }
}
