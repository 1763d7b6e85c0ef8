/// Payment, in words every source maps to. A value a source adds later reads as `unknown`
/// rather than failing the whole order.
public enum PaymentState: String, Codable, Sendable, CaseIterable {
    case pending, authorized, paid, partiallyPaid, partiallyRefunded, refunded, voided, expired, unknown

    public init(from decoder: any Decoder) throws {
        self = Self(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .unknown
    }
}

public enum FulfilmentState: String, Codable, Sendable, CaseIterable {
    case unfulfilled, partiallyFulfilled, fulfilled, inProgress, onHold, scheduled, restocked, cancelled, unknown

    public init(from decoder: any Decoder) throws {
        self = Self(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .unknown
    }
}

/// Where a parcel is, as carriers report it (Shopify's `FulfillmentDisplayStatus`, narrowed).
/// `shipped`: sent, and nothing more is known (Rakuten reports no delivery).
public enum ShipmentStatus: String, Codable, Sendable, CaseIterable {
    case confirmed, shipped, inTransit, outForDelivery, attemptedDelivery, delayed, delivered, notDelivered, failed, cancelled, unknown

    public init(from decoder: any Decoder) throws {
        self = Self(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .unknown
    }
}
