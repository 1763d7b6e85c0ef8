import Foundation

/// A shop system connected to Kotae (a Shopify store, a Rakuten shop…). A workspace may
/// connect several, of one platform or many; each has its own credentials and settings.
public struct CommerceStore: Codable, Sendable, Equatable {
    public var id: ID
    public var platform: CommercePlatform
    public var name: String
    public var settings: [String: String]
    public var hasCredentials: Bool
    /// The last failure talking to it, in the platform's words; nil while it works.
    public var problem: String?
    public var createdAt: Date

    public init(
        id: ID, platform: CommercePlatform, name: String, settings: [String: String] = [:], hasCredentials: Bool = false,
        problem: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.platform = platform
        self.name = name
        self.settings = settings
        self.hasCredentials = hasCredentials
        self.problem = problem
        self.createdAt = createdAt
    }
}

extension CommerceStore {
    /// The setting of a store that cannot make replacement orders (Rakuten, BASE): the id of
    /// the workspace's Shopify store that ships them instead, as draft orders.
    public static let replacementStoreSetting = "replacementStore"

    public var replacementStore: ID? { settings[Self.replacementStoreSetting].flatMap { ID($0) } }
}

/// An order as the cache holds it: the card and when Kotae last heard of it.
public struct CachedOrder: Sendable, Equatable {
    public var order: Order
    public var seenAt: Date

    public init(order: Order, seenAt: Date) {
        self.order = order
        self.seenAt = seenAt
    }
}
