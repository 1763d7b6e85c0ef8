import Foundation
import HTTPTypes
import Hummingbird
import KotaeCommerce
import KotaeCore
import KotaeStore
import NIOFoundationCompat

/// `POST /webhooks/shopify/{store}`: order, fulfilment and refund webhooks of one connected
/// Shopify store. The signature is checked over the raw bytes before anything is read; the
/// change is committed with the delivery's ids (a retry or a second delivery of one event
/// stores nothing) and with any job that follows from it; only then the 200, well inside
/// Shopify's five seconds. A delivery older than the cached order changes nothing.
struct ShopifyWebhookRoute {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("webhooks/shopify/:store") { request, context in
            let id = try context.parameters.require("store", as: Int64.self)
            guard let commerceStore = try await app.store.commerceStores.find(id: id), commerceStore.platform == .shopify else {
                throw APIError.notFound("Shopify store")
            }
            let body = Data(buffer: try await request.collectBody(upTo: app.config.maxBodyBytes))
            let header = { (name: String) in HTTPField.Name(name).flatMap { request.headers[$0] } }
            let credentials = try ShopifyStoreCredentials(stored: try await app.store.commerceStores.credentials(id: id))
            guard let secret = credentials.signingSecret,
                ShopifyWebhook.verify(signature: header("X-Shopify-Hmac-Sha256"), body: body, secret: secret)
            else {
                app.metrics.webhookRejected.increment()
                throw APIError.unauthorized("X-Shopify-Hmac-Sha256 does not match the body")
            }
            let delivery = ShopifyWebhook(header: header)
            let settings = try ShopifyStoreSettings(stored: commerceStore.settings)
            let change: ShopifyWebhook.Change
            do {
                change = try delivery.change(body: body, store: id, adminBase: settings.shop.flatMap(ShopifyAPI.base(shop:)))
            } catch {
                throw APIError.badRequest("bad_body", "the \(delivery.topic) body could not be read: \(error)")
            }
            let ids = Self.deliveryIds(delivery, store: id)
            switch change {
            case .order(let order):
                _ = try await app.store.orders.record(order, keys: OrderKeys.of(order), deliveryIds: ids)
            case .shipment(let orderId, let shipment, let at):
                _ = try await app.store.orders.record(shipment: shipment, at: at, of: OrderKey(store: id, id: orderId), deliveryIds: ids)
            case .refund(let orderId):
                _ = try await app.store.orders.claim(deliveryIds: ids, then: RefreshOrder(store: id, orderId: orderId))
            case .ignored:
                break
            }
            app.runner?.poke()
            return Response(status: .ok)
        }
    }

    /// The delivery's id (the same on each retry) and the event's (the same for each delivery
    /// of one event); Shopify's two pages on duplicates name one each.
    static func deliveryIds(_ delivery: ShopifyWebhook, store: ID) -> [String] {
        [delivery.webhookId.map { "shopify:\(store):webhook:\($0)" }, delivery.eventId.map { "shopify:\(store):event:\(delivery.topic):\($0)" }]
            .compactMap { $0 }
    }
}
