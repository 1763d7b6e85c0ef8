import Foundation
import KotaeCore

/// The Admin API operations behind fixes. Each names the action's key: refunds through
/// `@idempotent`, a replacement order and a discount code as a tag or in the code, looked for
/// before anything is created again.
enum ShopifyMutations {
    static func suggestedRefund(order: String, lines: [OrderAction.Line]) -> ShopifyOperation {
        ShopifyOperation(
            name: "SuggestRefund",
            query: """
                query SuggestRefund($id: ID!, $items: [RefundLineItemInput!], $full: Boolean) {
                  order(id: $id) {
                    suggestedRefund(refundLineItems: $items, refundShipping: false, suggestFullRefund: $full) {
                      amountSet { shopMoney { amount currencyCode } }
                      maximumRefundableSet { shopMoney { amount currencyCode } }
                      suggestedTransactions { gateway kind parentTransaction { id } amountSet { shopMoney { amount currencyCode } } }
                    }
                  }
                }
                """,
            variables: [
                "id": .string(order), "items": .list(lines.map(refundLine)), "full": .bool(lines.isEmpty),
            ], cost: 12)
    }

    static func refundCreate(order: String, key: String, lines: [OrderAction.Line], transactions: [GraphQLValue], note: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "Refund",
            query: """
                mutation Refund($input: RefundInput!) {
                  refundCreate(input: $input) @idempotent(key: \(ShopifyQueries.quoted(key))) {
                    refund { id totalRefundedSet { shopMoney { amount currencyCode } } }
                    userErrors { field message }
                  }
                }
                """,
            variables: [
                "input": .object([
                    "orderId": .string(order), "note": .string(note), "notify": .bool(true), "refundLineItems": .list(lines.map(refundLine)),
                    "transactions": .list(transactions),
                ])
            ], cost: 10)
    }

    static func refundLine(_ line: OrderAction.Line) -> GraphQLValue {
        .object(["lineItemId": .string(line.lineId), "quantity": .int(line.quantity), "restockType": .string("NO_RESTOCK")])
    }

    static func discountCreate(code: String, title: String, percent: Int, customer: String?, from: Date, until: Date) -> ShopifyOperation {
        var discount: [String: GraphQLValue] = [
            "title": .string(title), "code": .string(code), "startsAt": .string(from.formatted(Date.ISO8601FormatStyle())),
            "endsAt": .string(until.formatted(Date.ISO8601FormatStyle())), "usageLimit": .int(1), "appliesOncePerCustomer": .bool(true),
            "customerGets": .object(["value": .object(["percentage": .double(Double(percent) / 100)]), "items": .object(["all": .bool(true)])]),
            "combinesWith": .object(["orderDiscounts": .bool(false), "productDiscounts": .bool(false), "shippingDiscounts": .bool(true)]),
        ]
        discount["customerSelection"] =
            customer.map { .object(["customers": .object(["add": .list([.string($0)])])]) } ?? .object(["all": .bool(true)])
        return ShopifyOperation(
            name: "Apology",
            query: """
                mutation Apology($d: DiscountCodeBasicInput!) {
                  discountCodeBasicCreate(basicCodeDiscount: $d) {
                    codeDiscountNode { id }
                    userErrors { field code message }
                  }
                }
                """,
            variables: ["d": .object(discount)], cost: 10)
    }

    static func codeExists(_ code: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "CodeExists",
            query: """
                query CodeExists($code: String!) {
                  codeDiscountNodeByCode(code: $code) { id }
                }
                """,
            variables: ["code": .string(code)], cost: 2)
    }

    static func draftOrders(tagged tag: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "ReplacementByTag",
            query: """
                query ReplacementByTag($query: String!) {
                  draftOrders(first: 1, query: $query) { nodes { id name status order { id name } } }
                }
                """,
            variables: ["query": .string("tag:" + ShopifyQueries.quoted(tag))], cost: 4)
    }

    /// The product variant with a SKU, for a replacement of another shop system's order.
    static func variantBySKU(_ sku: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "VariantBySKU",
            query: """
                query VariantBySKU($query: String!) {
                  productVariants(first: 5, query: $query) { nodes { id sku } }
                }
                """,
            variables: ["query": .string("sku:" + ShopifyQueries.quoted(sku))], cost: 4)
    }

    static func draftOrderCreate(_ input: [String: GraphQLValue]) -> ShopifyOperation {
        ShopifyOperation(
            name: "Replacement",
            query: """
                mutation Replacement($input: DraftOrderInput!) {
                  draftOrderCreate(input: $input) { draftOrder { id name } userErrors { field message } }
                }
                """,
            variables: ["input": .object(input)], cost: 10)
    }

    static func draftOrderComplete(_ id: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "CompleteReplacement",
            query: """
                mutation CompleteReplacement($id: ID!) {
                  draftOrderComplete(id: $id) { draftOrder { id name status order { id name } } userErrors { field message } }
                }
                """,
            variables: ["id": .string(id)], cost: 10)
    }

    static func giftCardByCode(_ code: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "GiftCardByCode",
            query: """
                query GiftCardByCode($query: String!) {
                  giftCards(first: 1, query: $query) { nodes { id lastCharacters } }
                }
                """,
            variables: ["query": .string(ShopifyQueries.quoted(code))], cost: 3)
    }

    static func giftCardCreate(code: String, amount: Money, customer: String?, note: String) -> ShopifyOperation {
        var input: [String: GraphQLValue] = ["initialValue": .string(amount.amount), "code": .string(code), "note": .string(note)]
        if let customer { input["customerId"] = .string(customer) }
        return ShopifyOperation(
            name: "GiftCard",
            query: """
                mutation GiftCard($input: GiftCardCreateInput!) {
                  giftCardCreate(input: $input) {
                    giftCard { id lastCharacters }
                    userErrors { field code message }
                  }
                }
                """,
            variables: ["input": .object(input)], cost: 10)
    }

    static func orderCancel(_ order: String, note: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "CancelOrder",
            query: """
                mutation CancelOrder($orderId: ID!, $note: String) {
                  orderCancel(orderId: $orderId, reason: CUSTOMER, refund: true, restock: true, notifyCustomer: true, staffNote: $note) {
                    job { id done }
                    orderCancelUserErrors { field code message }
                  }
                }
                """,
            variables: ["orderId": .string(order), "note": .string(note)], cost: 10)
    }

    static func job(_ id: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "CancelJob",
            query: """
                query CancelJob($id: ID!) {
                  job(id: $id) { id done }
                }
                """,
            variables: ["id": .string(id)], cost: 1)
    }

    static func cancelledAt(_ order: String) -> ShopifyOperation {
        ShopifyOperation(
            name: "OrderCancelled",
            query: """
                query OrderCancelled($id: ID!) {
                  order(id: $id) { id cancelledAt }
                }
                """,
            variables: ["id": .string(order)], cost: 1)
    }

    static func tagsAdd(_ id: String, tags: [String]) -> ShopifyOperation {
        ShopifyOperation(
            name: "TagOrder",
            query: """
                mutation TagOrder($id: ID!, $tags: [String!]!) {
                  tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
                }
                """,
            variables: ["id": .string(id), "tags": .list(tags.map { .string($0) })], cost: 10)
    }
}

/// `userErrors` of a mutation, in Shopify's words.
struct UserError: Decodable {
    let field: [String]?
    let code: String?
    let message: String
}

extension [UserError] {
    var words: String { map { ($0.field.map { $0.joined(separator: ".") + ": " } ?? "") + $0.message }.joined(separator: "; ") }
}
