import Foundation

import KotaeCore
/// The Admin API operations the sidebar reads with. Each asks for one order's whole card at
/// once, so opening a conversation is one call per lookup, not one per order; sizes are kept
/// small because Shopify charges the requested cost (`first:` multiplies it).
public enum ShopifyQueries {
    static let orderFields = """
        fragment OrderCard on Order {
          id name email phone createdAt updatedAt cancelledAt note tags statusPageUrl
          displayFinancialStatus displayFulfillmentStatus
          currentTotalPriceSet { shopMoney { amount currencyCode } }
          customer { id displayName email phone }
          shippingAddress { name zip province city address1 address2 phone countryCodeV2 }
          lineItems(first: 10) {
            nodes { id title variantTitle sku variant { id } quantity currentQuantity originalUnitPriceSet { shopMoney { amount currencyCode } } }
          }
          fulfillments(first: 5) {
            id status displayStatus createdAt inTransitAt estimatedDeliveryAt deliveredAt
            trackingInfo(first: 3) { company number url }
          }
        }
        """

    /// Requested cost of one order card: the order, its customer, address and total (2), 10
    /// lines with a variant and a price each (1 + 10 × 3), 5 fulfilments with their tracking
    /// (5 × (1 + 3)).
    static let cardCost: Double = 1 + 1 + 1 + 2 + 31 + 20

    /// Newest orders matching a search (`email:"…"`, `name:"#1042"`, `customer_id:…`). Five
    /// cards cost about 280 points, a fifth of a Standard plan's bucket; older orders come
    /// from the local cache, which webhooks fill.
    public static func orders(search: String, first: Int = 5) -> ShopifyOperation {
        ShopifyOperation(
            name: "OrdersForContact",
            query: """
                query OrdersForContact($query: String!, $first: Int!) {
                  orders(first: $first, query: $query, sortKey: PROCESSED_AT, reverse: true) {
                    nodes { ...OrderCard }
                  }
                }
                """ + "\n" + orderFields,
            variables: ["query": .string(search), "first": .int(first)],
            cost: 2 + Double(first) * cardCost)
    }

    /// Orders changed since a time, oldest change first, a page at a time: the nightly
    /// reconciliation's read of what webhooks may have missed. Fifteen cards stay under
    /// Shopify's 1,000-point limit for one query.
    public static func ordersUpdated(since: Date, after cursor: String?, first: Int = 15) -> ShopifyOperation {
        let since = since.formatted(Date.ISO8601FormatStyle())
        return ShopifyOperation(
            name: "OrdersUpdatedSince",
            query: """
                query OrdersUpdatedSince($query: String!, $first: Int!, $after: String) {
                  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
                    nodes { ...OrderCard }
                    pageInfo { hasNextPage endCursor }
                  }
                }
                """ + "\n" + orderFields,
            variables: ["query": .string("updated_at:>=" + quoted(since)), "first": .int(first), "after": cursor.map { .string($0) } ?? .null],
            cost: 2 + Double(first) * cardCost)
    }

    public static func order(id: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "OrderCard",
            query: """
                query OrderCard($id: ID!) {
                  order(id: $id) { ...OrderCard }
                }
                """ + "\n" + orderFields,
            variables: ["id": .string(id)], cost: 1 + cardCost)
    }

    /// `orders` has no phone term: a phone finds customers, whose ids then find orders.
    public static func customers(phone: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "CustomersByPhone",
            query: """
                query CustomersByPhone($query: String!) {
                  customers(first: 5, query: $query) { nodes { id legacyResourceId } }
                }
                """,
            variables: ["query": .string("phone:" + quoted(phone))], cost: 7)
    }

    /// A search value in quotes: an address with `+` or a space is otherwise search syntax.
    public static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
