import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCommerce
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

/// Shopify's order webhooks into the order cache: signed over the raw body with the app's
/// client secret, each delivery and each event stored once, an older state never over a newer.
@Suite struct ShopifyWebhookRouteTests {
    static let secret = "kotae-secret"

    /// A connected store whose app the fake Shopify knows.
    static func connect(_ app: TestApp, shop: String, name: String = "Linen Shop") async throws -> Int64 {
        let (status, out) = try await app.admin(
            .post, "/api/v1/commerce/stores",
            jsonString([
                "name": name, "platform": "shopify", "settings": ["shop": shop],
                "credentials": ["clientId": "kotae-app", "clientSecret": secret],
            ]))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    struct Delivery {
        var topic: String
        var body: [String: Any]
        var webhookId = UUID().uuidString
        var eventId = UUID().uuidString
        var signature: String?

        var bytes: Data { try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) }
    }

    @discardableResult
    static func post(_ app: TestApp, store: Int64, _ d: Delivery) async throws -> HTTPResponse.Status {
        let body = d.bytes
        var headers: HTTPFields = [:]
        let sign = d.signature ?? WebhookSignature.hmac(secret: secret, body: body).base64EncodedString()
        for (name, value) in [
            ("X-Shopify-Topic", d.topic), ("X-Shopify-Hmac-Sha256", sign), ("X-Shopify-Shop-Domain", "linen-shop.myshopify.com"),
            ("X-Shopify-Webhook-Id", d.webhookId), ("X-Shopify-Event-Id", d.eventId), ("X-Shopify-Triggered-At", "2026-11-20T01:00:00.000000000Z"),
        ] {
            headers[HTTPField.Name(name)!] = value
        }
        return try await app.request(.post, "/webhooks/shopify/\(store)", body: ByteBuffer(data: body), headers: headers).status
    }

    /// Shopify's webhooks for a replacement order `gid` named `name`: made, then its parcel delivered.
    static func replacementDelivered(_ app: TestApp, store: Int64, gid: String, name: String?) async throws {
        let orderId = Int64(gid.split(separator: "/").last!)!
        var made = order(orderId, updated: "2026-11-21T10:00:00+09:00")
        if let name { made["name"] = name }
        _ = try await post(app, store: store, .init(topic: "orders/create", body: made))
        _ = try await post(
            app, store: store,
            .init(
                topic: "fulfillments/update",
                body: [
                    "id": orderId % 1000, "order_id": orderId, "status": "success", "shipment_status": "delivered",
                    "updated_at": "2026-11-23T10:00:00+09:00", "created_at": "2026-11-22T10:00:00+09:00",
                ]))
    }

    static func order(_ id: Int64 = 5_829_416_312_932, updated: String, status: String = "paid", note: String? = nil) -> [String: Any] {
        var o: [String: Any] = [
            "id": id, "name": "#1042", "email": "Hanako.Yamada@example.jp", "created_at": "2026-10-28T10:12:44+09:00",
            "updated_at": updated, "financial_status": status, "fulfillment_status": NSNull(), "currency": "JPY", "total_price": "12800",
            "customer": ["id": 7_290_110_001_234, "email": "hanako.yamada@example.jp", "first_name": "花子", "last_name": "山田"],
            "line_items": [["id": 1, "title": "リネンシャツ", "quantity": 1, "price": "9800", "sku": "LS-NV-M"]],
            "shipping_address": ["name": "山田 花子", "phone": "090-1234-5678", "city": "渋谷区"],
        ]
        if let note { o["note"] = note }
        return o
    }

    @Test func aForgedOrUnsignedDeliveryStoresNothing() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            var forged = Delivery(topic: "orders/create", body: Self.order(updated: "2026-11-20T10:00:00+09:00"))
            forged.signature = WebhookSignature.hmac(secret: "not-the-secret", body: forged.bytes).base64EncodedString()
            #expect(try await Self.post(app, store: store, forged) == .unauthorized)
            var unsigned = forged
            unsigned.signature = ""
            #expect(try await Self.post(app, store: store, unsigned) == .unauthorized)
            #expect(
                try await Self.post(app, store: 999, Delivery(topic: "orders/create", body: Self.order(updated: "2026-11-20T10:00:00+09:00")))
                    == .notFound)
            #expect(try await app.store.orders.of(emails: ["hanako.yamada@example.jp"], phones: []).isEmpty)
        }
    }

    @Test func anOrderIsStoredOnceHoweverOftenItComes() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            let created = Delivery(topic: "orders/create", body: Self.order(updated: "2026-11-20T10:00:00+09:00"))
            let started = ContinuousClock.now
            #expect(try await Self.post(app, store: store, created) == .ok)
            #expect(ContinuousClock.now - started < .seconds(5), "Shopify waits five seconds")
            let key = OrderKey(store: store, id: "gid://shopify/Order/5829416312932")
            let stored = try #require(try await app.store.orders.find(key))
            #expect(stored.order.number == "#1042" && stored.order.customerName == "山田 花子")
            // Found by the address lowercased and by the delivery phone as E.164.
            #expect(try await app.store.orders.of(emails: ["hanako.yamada@example.jp"], phones: []).count == 1)
            #expect(try await app.store.orders.of(emails: [], phones: ["+819012345678"]).count == 1)

            // The retry of that delivery, and the same event delivered again under another id:
            // answered 200 (or Shopify retries), nothing stored again even with a newer body.
            #expect(try await Self.post(app, store: store, created) == .ok)
            var again = created
            again.webhookId = UUID().uuidString
            again.body = Self.order(updated: "2026-11-21T10:00:00+09:00", note: "second delivery")
            #expect(try await Self.post(app, store: store, again) == .ok)
            #expect(try await app.store.orders.find(key)?.order.note == nil)
        }
    }

    @Test func anOlderStateArrivingLateChangesNothing() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            let key = OrderKey(store: store, id: "gid://shopify/Order/5829416312932")
            #expect(
                try await Self.post(
                    app, store: store, Delivery(topic: "orders/updated", body: Self.order(updated: "2026-11-21T12:00:00+09:00", status: "refunded")))
                    == .ok)
            #expect(
                try await Self.post(
                    app, store: store, Delivery(topic: "orders/updated", body: Self.order(updated: "2026-11-21T09:00:00+09:00", status: "paid")))
                    == .ok)
            #expect(try await app.store.orders.find(key)?.order.payment == .refunded)
        }
    }

    @Test func aDeliveredFulfilmentJoinsItsCachedOrder() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            let key = OrderKey(store: store, id: "gid://shopify/Order/5829416312932")
            try await Self.post(app, store: store, Delivery(topic: "orders/create", body: Self.order(updated: "2026-10-28T10:12:44+09:00")))
            let fixture = try FakeShopify.fixture("shopify/webhook-fulfillments-update-delivered.doc-example.json")
            let body =
                try JSONSerialization.jsonObject(with: Data(((fixture["request"] as! [String: Any])["raw_body"] as! String).utf8)) as! [String: Any]
            #expect(try await Self.post(app, store: store, Delivery(topic: "fulfillments/update", body: body)) == .ok)
            let order = try #require(try await app.store.orders.find(key)?.order)
            #expect(order.shipments.map(\.status) == [.delivered])
            #expect(order.delivered == true)
            #expect(order.shipments.first?.tracking.first?.company == "Yamato Transport")
        }
    }

    @Test func aFulfilmentOrRefundOfAnOrderNotCachedReadsItFromShopify() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: fake.base)
            let fixture = try FakeShopify.fixture("shopify/webhook-fulfillments-update-delivered.doc-example.json")
            let body =
                try JSONSerialization.jsonObject(with: Data(((fixture["request"] as! [String: Any])["raw_body"] as! String).utf8)) as! [String: Any]
            #expect(try await Self.post(app, store: store, Delivery(topic: "fulfillments/update", body: body)) == .ok)
            let key = OrderKey(store: store, id: "gid://shopify/Order/5829416312932")
            #expect(try await eventually { try await app.store.orders.find(key) != nil }, "the order was never read from Shopify")
            #expect(try await app.store.orders.find(key)?.order.lines.map(\.title) == ["リネンシャツ", "ソックス"])
            #expect(try await fake.calls().map(\.operationName) == ["OrderCard"])

            // A refund: the order is read afresh (its amounts change), once per delivery.
            let refund = Delivery(topic: "refunds/create", body: ["id": 1, "order_id": 5_700_000_000_001])
            #expect(try await Self.post(app, store: store, refund) == .ok)
            #expect(try await Self.post(app, store: store, refund) == .ok)
            let other = OrderKey(store: store, id: "gid://shopify/Order/5700000000001")
            #expect(try await eventually { try await app.store.orders.find(other)?.order.payment == .partiallyRefunded })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await fake.calls().count == 2)
        }
    }

    @Test func aTopicKotaeDoesNotUseIsAnsweredAndIgnored() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            #expect(try await Self.post(app, store: store, Delivery(topic: "products/update", body: ["id": 1])) == .ok)
        }
    }

    @Test func aBodyThatIsNoOrderIsRefusedInWords() async throws {
        try await withTestApp { app in
            let store = try await Self.connect(app, shop: "linen-shop")
            let r = try await Self.post(app, store: store, Delivery(topic: "orders/updated", body: ["id": 1]))
            #expect(r == .badRequest)
        }
    }
}
