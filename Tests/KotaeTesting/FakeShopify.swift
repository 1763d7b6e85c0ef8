import Foundation

/// A fake Shopify store (`Tests/commerce/fake_shopify.py`): the client-credentials grant and
/// the GraphQL Admin API, every query validated against Shopify's published schema and charged
/// to a leaky bucket that answers THROTTLED as Shopify does. It starts with the corpus's orders
/// (山田 花子's #1042 and #1007).
public final class FakeShopify: Sendable {
    public let clientId = "kotae-app"
    public let clientSecret = "kotae-secret"
    public let staticToken = "shpat_static_token"
    private let fake: PythonFake

    /// One GraphQL call or token request the fake received.
    public struct Request: Decodable, Sendable {
        public let path: String
        public let grant: String?
        public let token: String?
        public let operationName: String?
        public let variables: [String: JSONScalar]?
        /// Schema validation errors and refusals: a test expects none for Kotae's own queries.
        public let errors: [String]?
        public let cost: Double?
        public let throttled: Bool?
    }

    public init() async throws {
        fake = try await PythonFake("commerce/fake_shopify.py")
    }

    public var base: String { fake.base }

    public func stop() { fake.stop() }

    public func requests() async throws -> [Request] { try await fake.requests() }

    /// The GraphQL calls only, in order.
    public func calls() async throws -> [Request] { try await requests().filter { $0.path.hasSuffix("/graphql.json") } }

    /// Sets the bucket: its size, how fast it refills, what it holds now, and the HTTP status
    /// a THROTTLED answer comes with. `frozen`: it starts refilling only once it has throttled
    /// (a loaded machine cannot refill it before the first call arrives).
    public func bucket(maximum: Double, restore: Double, available: Double, throttleStatus: Int = 200, frozen: Bool = false) async throws {
        try await fake.control(
            "bucket", ["maximum": maximum, "restore": restore, "available": available, "throttleStatus": throttleStatus, "frozen": frozen])
    }

    /// Adds or replaces orders, written as the GraphQL API returns them.
    public func add(orders: [[String: Any]]) async throws { try await fake.control("orders", ["orders": orders]) }

    /// Every issued client-credentials token stops working, as after a day.
    public func expireTokens() async throws { try await fake.control("expire-tokens", [:]) }

    public func tokenLifetime(seconds: Int) async throws { try await fake.control("token-lifetime", ["seconds": seconds]) }

    public static func fixture(_ path: String) throws -> [String: Any] { try PythonFake.fixture(path) }
}

/// A JSON variable's value as the fake recorded it.
public enum JSONScalar: Decodable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null, other

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else {
            self = .other
        }
    }
}

extension FakeShopify {
    /// What fixes made at the fake: refunds (with their idempotency keys), replacement (draft)
    /// orders, discount codes and tags.
    public struct Made: Decodable, Sendable {
        public struct Refund: Decodable, Sendable {
            public let id: String
            public let orderId: String
            public let amount: String
            public let key: String
        }
        public struct Draft: Decodable, Sendable {
            public struct Made: Decodable, Sendable { public let name: String }
            public let id: String
            public let status: String
            public let order: Made?
            public let tags: [String]
            /// The items as Kotae sent them: a product variant, or a custom item by title.
            public struct Item: Decodable, Sendable {
                public let variantId: String?
                public let title: String?
                public let sku: String?
                public let quantity: Int
            }
            public let lineItems: [Item]
            public let shippingAddress: [String: String]?
            public let email: String?
        }
        /// A discount code's input as Kotae sent it.
        public struct Discount: Decodable, Sendable {
            public struct Gets: Decodable, Sendable {
                public struct Value: Decodable, Sendable { public let percentage: Double? }
                public let value: Value
            }
            public struct Selection: Decodable, Sendable {
                public struct Customers: Decodable, Sendable { public let add: [String] }
                public let customers: Customers?
            }
            public let title: String
            public let usageLimit: Int?
            public let appliesOncePerCustomer: Bool?
            public let customerGets: Gets
            public let customerSelection: Selection?
        }
        public struct GiftCard: Decodable, Sendable {
            public let code: String
            public let initialValue: String
            public let customerId: String?
        }
        public struct Cancel: Decodable, Sendable {
            public let done: Bool
            public let orderId: String
        }
        public let refunds: [Refund]
        public let drafts: [Draft]
        public let discounts: [String: Discount]
        public let giftCards: [GiftCard]
        public let cancels: [Cancel]
    }

    public func made() async throws -> Made { try await fake.get("state") }

    /// The next answer to `operation` comes `seconds` late (it is carried out at once): a lost answer.
    public func slow(_ operation: String, seconds: Double) async throws {
        try await fake.control("slow", ["operation": operation, "seconds": seconds])
    }
}
