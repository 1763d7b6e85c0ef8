import KotaeFixtures
import Foundation
import KotaeCommerce
import KotaeCore
import Testing

struct ShopifyWebhookTests {
    struct Delivery {
        let headers: [String: String]
        let body: Data
        let secret: String

        init(_ path: String) throws {
            let doc = try Fixture.json(path)
            let request = doc["request"] as! [String: Any]
            headers = request["headers"] as! [String: String]
            body = Data((request["raw_body"] as! String).utf8)
            secret = doc["client_secret"] as! String
        }

        var webhook: ShopifyWebhook { ShopifyWebhook { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value } }
        var signature: String? { headers["X-Shopify-Hmac-Sha256"] }
    }

    @Test func theDocumentedSignaturesVerifyAndAnyChangeBreaksThem() throws {
        for path in ["shopify/webhook-orders-create.doc-example.json", "shopify/webhook-fulfillments-update-delivered.doc-example.json"] {
            let d = try Delivery(path)
            #expect(ShopifyWebhook.verify(signature: d.signature, body: d.body, secret: d.secret))
            #expect(!ShopifyWebhook.verify(signature: d.signature, body: d.body + Data(" ".utf8), secret: d.secret))
            #expect(!ShopifyWebhook.verify(signature: d.signature, body: d.body, secret: "another-secret"))
            #expect(!ShopifyWebhook.verify(signature: nil, body: d.body, secret: d.secret))
            #expect(!ShopifyWebhook.verify(signature: d.signature, body: d.body, secret: ""))
        }
    }

    @Test func anOrderCreatedIsReadWithItsJapaneseText() throws {
        let d = try Delivery("shopify/webhook-orders-create.doc-example.json")
        #expect(d.webhook.webhookId == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(d.webhook.eventId == "98880550-7158-44d4-b7cd-2c97c8a091b5")
        guard case .order(let order) = try d.webhook.change(body: d.body, store: 7, adminBase: "https://example-shop.myshopify.com") else {
            Issue.record("not an order")
            return
        }
        #expect(order.key == OrderKey(store: 7, id: "gid://shopify/Order/820982911946154508"))
        #expect(order.number == "#9999")
        #expect(order.email == "jon@example.com")
        #expect(order.customerName == "山田 太郎")
        #expect(order.payment == .paid && order.fulfilment == .unfulfilled)
        #expect(order.total == Money(amount: "12800", currency: "JPY"))
        #expect(order.lines.map(\.title) == ["Tシャツ"])
        #expect(order.createdAt == Date(timeIntervalSince1970: 1_714_557_600))
        // orders/create has no updated_at: the event's time orders it against later deliveries.
        #expect(order.updatedAt == d.webhook.triggeredAt)
        #expect(d.webhook.triggeredAt == Date(timeIntervalSince1970: 1_714_557_600))
        #expect(order.adminURL == "https://example-shop.myshopify.com/admin/orders/820982911946154508")
    }

    @Test func aDeliveredFulfilmentIsAShipmentOfItsOrder() throws {
        let d = try Delivery("shopify/webhook-fulfillments-update-delivered.doc-example.json")
        guard case .shipment(let orderId, let shipment, let at) = try d.webhook.change(body: d.body, store: 7, adminBase: nil) else {
            Issue.record("not a shipment")
            return
        }
        #expect(orderId == "gid://shopify/Order/5829416312932")
        #expect(shipment.status == .delivered)
        #expect(shipment.deliveredAt == at)
        #expect(
            shipment.tracking == [
                Tracking(
                    company: "Yamato Transport", number: "123456789012",
                    url: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=123456789012")
            ])
    }

    @Test func theRESTOrderResourceReadsWhole() throws {
        let body = try JSONSerialization.data(withJSONObject: try Fixture.json("shopify/order.json")["order"]!)
        let webhook = ShopifyWebhook { ["X-Shopify-Topic": "orders/updated"][$0] }
        guard case .order(let order) = try webhook.change(body: body, store: 1, adminBase: nil) else {
            Issue.record("not an order")
            return
        }
        #expect(order.number == "#1001")
        #expect(order.shipments.count == 1 && order.shipments[0].status == .failed)
        #expect(order.shipments[0].tracking.first?.number == "1Z2345")
        #expect(order.shippingAddress?.city == "Louisville")
        #expect(order.lines.count == 3)
    }

    @Test func aTopicKotaeHasNoUseForIsIgnoredNotAnError() throws {
        let webhook = ShopifyWebhook { ["X-Shopify-Topic": "products/update"][$0] }
        #expect(try webhook.change(body: Data("{}".utf8), store: 1, adminBase: nil) == .ignored("products/update"))
    }

    @Test func aBrokenBodyIsAnErrorNotAnEmptyOrder() {
        let webhook = ShopifyWebhook { ["X-Shopify-Topic": "orders/updated"][$0] }
        #expect(throws: (any Error).self) { try webhook.change(body: Data("{\"id\":1}".utf8), store: 1, adminBase: nil) }
    }
}
