/// The shop systems Kotae reads orders from.
public enum CommercePlatform: String, Codable, Sendable, CaseIterable {
    case shopify, rakuten, base, file
}

/// How an order can be looked up at its source.
public enum OrderLookup: String, Codable, Sendable, CaseIterable {
    /// By the number the customer types (`#1042`).
    case number
    /// By the buyer's email address (Rakuten's masked one included).
    case email
    /// By phone, E.164.
    case phone
}
