import Foundation
import Hummingbird
import KotaeCommerce
import KotaeCore
import KotaeStore

/// Fixes on orders through the API: every agent asks for them and marks tasks done; admins
/// decide those above an agent's limit.
struct OrderActionController {
    let app: AppServices
    let service: OrderActionService

    init(app: AppServices) {
        self.app = app
        let runner = app.runner
        service = OrderActionService(store: app.store, connections: app.commerce, clock: app.clock, wake: { runner?.poke() })
    }

    func addRoutes(to api: APIRouteGroups) {
        api.signedIn.get("conversations/:id/order-actions", use: list)
        api.signedIn.post("conversations/:id/order-actions", use: create)
        api.signedIn.get("conversations/:id/refund-suggestion", use: suggestion)
        api.admin.post("order-actions/:id/approve", use: approve)
        api.admin.post("order-actions/:id/reject", use: reject)
        api.signedIn.post("order-actions/:id/done", use: done)
        api.signedIn.post("order-actions/:id/code", use: code)
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try context.json(["actions": try await app.store.orderActions.of(conversationId: id)], request)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: OrderActionService.Request.self, context: context)
        let action = try await service.request(input, conversationId: try context.parameters.require("id", as: Int64.self), by: user)
        return try context.json(action, request, status: .created)
    }

    /// What Shopify would refund for some items (`lines=<lineId>:<quantity>,…`; none: the whole
    /// order), shown before the agent confirms; with whether it needs an admin's approval.
    func suggestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let query = request.uri.queryParameters
        guard let storeId = query.get("store", as: Int64.self), let orderId = query.get("orderId") else {
            throw APIError.invalid("store", "store and orderId are required")
        }
        guard let shop = try await app.store.commerceStores.find(id: storeId) else { throw APIError.notFound("store") }
        guard let source = try await app.commerce.source(for: shop) as? ShopifyOrderSource else {
            throw APIError.invalid("store", "\(shop.name) does not suggest refunds; a refund there is a task")
        }
        // A line id is itself a URI (`gid://shopify/LineItem/…`): the quantity follows its last colon.
        let lines = try (query.get("lines") ?? "").split(separator: ",").map { pair -> OrderAction.Line in
            guard let colon = pair.lastIndex(of: ":"), let quantity = Int(pair[pair.index(after: colon)...]), quantity > 0 else {
                throw APIError.invalid("lines", "lines are <lineId>:<quantity>,…")
            }
            return OrderAction.Line(lineId: String(pair[..<colon]), quantity: quantity)
        }
        let suggestion: RefundSuggestion
        do { suggestion = try await source.suggestRefund(order: orderId, lines: lines).0 } catch let error as CommerceError {
            throw APIError(.badGateway, code: "store_failed", detail: error.message)
        }
        let limit = try await service.limit()
        let needsApproval = user.role != .admin && (suggestion.amount.decimal ?? 0) > limit
        return try context.json(Suggestion(suggestion: suggestion, needsApproval: needsApproval, limit: "\(limit)"), request)
    }

    struct Suggestion: Encodable {
        let suggestion: RefundSuggestion
        let needsApproval: Bool
        /// An agent's limit, in the order's currency.
        let limit: String
    }

    func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(
            try await service.decide(try context.parameters.require("id", as: Int64.self), approve: true, by: try context.requireIdentity()), request)
    }

    func reject(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(
            try await service.decide(try context.parameters.require("id", as: Int64.self), approve: false, by: try context.requireIdentity()), request
        )
    }

    /// A gift card's code, shown once to the agent who asked for it.
    func code(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try await service.revealCode(try context.parameters.require("id", as: Int64.self), to: try context.requireIdentity())
        return try context.json(["code": code], request)
    }

    func done(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(try await service.done(try context.parameters.require("id", as: Int64.self), by: try context.requireIdentity()), request)
    }
}
