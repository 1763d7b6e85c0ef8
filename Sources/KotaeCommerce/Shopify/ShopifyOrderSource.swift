import KotaeCore
import Foundation

/// A Shopify store as an order source: lookups through the GraphQL Admin API.
public struct ShopifyOrderSource: OrderSource {
    public let store: Int64
    public let api: ShopifyGraphQL
    /// For links into the shop's admin.
    public let adminBase: String?
    public var platform: CommercePlatform { .shopify }

    public init(store: Int64, api: ShopifyGraphQL, adminBase: String?) {
        self.store = store
        self.api = api
        self.adminBase = adminBase
    }

    private struct Orders: Decodable {
        struct Connection: Decodable { let nodes: [ShopifyOrderCard] }
        let orders: Connection
    }

    public func orders(_ lookup: OrderLookup, _ value: String) async throws -> [Order] {
        switch lookup {
        case .email: return try await search("email:" + ShopifyQueries.quoted(value))
        case .number: return try await search("name:" + ShopifyQueries.quoted(value))
        case .phone:
            struct Customers: Decodable {
                struct Connection: Decodable {
                    struct Node: Decodable { let legacyResourceId: String }
                    let nodes: [Node]
                }
                let customers: Connection
            }
            let customers = try await api.run(ShopifyQueries.customers(phone: value), as: Customers.self).customers.nodes
            guard !customers.isEmpty else { return [] }
            return try await search(customers.map { "customer_id:\($0.legacyResourceId)" }.joined(separator: " OR "))
        }
    }

    public func order(id: String) async throws -> Order? {
        struct One: Decodable { let order: ShopifyOrderCard? }
        return try await api.run(ShopifyQueries.order(id: id), as: One.self).order?.order(store: store, adminBase: adminBase)
    }

    /// Every order changed since `since`, page by page, handed to `page` as it arrives.
    public func ordersUpdated(since: Date, page: ([Order]) async throws -> Void) async throws {
        struct Page: Decodable {
            struct Connection: Decodable {
                struct Info: Decodable {
                    let hasNextPage: Bool
                    let endCursor: String?
                }
                let nodes: [ShopifyOrderCard]
                let pageInfo: Info
            }
            let orders: Connection
        }
        var cursor: String?
        repeat {
            let answer = try await api.run(ShopifyQueries.ordersUpdated(since: since, after: cursor), as: Page.self).orders
            try await page(answer.nodes.map { $0.order(store: store, adminBase: adminBase) })
            cursor = answer.pageInfo.hasNextPage ? answer.pageInfo.endCursor : nil
        } while cursor != nil
    }

    private func search(_ query: String) async throws -> [Order] {
        try await api.run(ShopifyQueries.orders(search: query), as: Orders.self).orders.nodes.map { $0.order(store: store, adminBase: adminBase) }
    }
}
