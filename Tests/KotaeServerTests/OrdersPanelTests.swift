import Foundation
import KotaeCommerce
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import Testing

/// The orders beside a conversation: found by the number the customer wrote and by every
/// address and phone of the contact, each with its reason; a number that is no order is said;
/// a store that does not answer shows its cached orders with their age, never "no orders".
@Suite struct OrdersPanelTests {
    struct Panel: Decodable {
        struct Shown: Decodable {
            let order: Order
            let storeName: String
            let seenAt: Date
            let reasons: [String]
        }
        struct StoreState: Decodable {
            let id: Int64
            let reachable: Bool?
            let problem: String?
            let visibleDays: Int?
            let pending: Bool?
            let licenceExpires: Date?
        }
        let orders: [Shown]
        let unresolvedNumbers: [String]
        let customersMatched: Int
        let stores: [StoreState]
    }

    static func panel(_ app: TestApp, _ conversation: Int64) async throws -> Panel {
        let r = try await app.request(.get, "/api/v1/conversations/\(conversation)/orders", token: app.agentToken)
        try #require(r.status == .ok, "\(String(buffer: r.body))")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Panel.self, from: Data(buffer: r.body))
    }

    /// An email from 山田 花子, the corpus's customer.
    static func mail(_ app: TestApp, _ text: String, from: String = "hanako.yamada@example.jp") async throws -> Int64 {
        let inbox = try await app.makeInbox(channel: "email", settings: ["address": "support@linen-shop.example.jp"])
        let (_, out) = try await app.ingest(inbox: inbox, externalId: "<\(UUID().uuidString)@example.jp>", contact: from, name: "山田 花子", text: text)
        return (out["conversationId"] as! NSNumber).int64Value
    }

    @Test func theNumberInTheMessageAndTheSendersAddressFindTheirOrders() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await Self.mail(app, "#1042 がまだ届きません。まだ?")
            let panel = try await Self.panel(app, conversation)
            #expect(panel.orders.map(\.order.number) == ["#1042", "#1007"])
            #expect(panel.orders.map(\.reasons) == [["numberInMessage", "email"], ["email"]])
            #expect(panel.orders.allSatisfy { $0.storeName == "Linen Shop" })
            #expect(panel.unresolvedNumbers.isEmpty)
            #expect(panel.customersMatched == 1)
            #expect(panel.stores.map(\.reachable) == [true] && panel.stores.first?.visibleDays == 60)
            let delivered = try #require(panel.orders.first?.order.shipments.first)
            #expect(delivered.status == .delivered && delivered.tracking.first?.url?.hasPrefix("https://toi.kuronekoyamato.co.jp/") == true)
            // What Shopify said is cached for the next time the store cannot be reached.
            #expect(try await app.store.orders.find(OrderKey(store: store, id: "gid://shopify/Order/5829416312932")) != nil)
            for call in try await fake.calls() { #expect(call.errors == [], "\(call.operationName ?? "?")") }
        }
    }

    @Test func aNumberThatIsNoOrderIsSaidNotReplacedByAnother() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp { app in
            _ = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await Self.mail(app, "注文番号 #9999 の件です", from: "someone.else@example.jp")
            let panel = try await Self.panel(app, conversation)
            #expect(panel.orders.isEmpty)
            #expect(panel.unresolvedNumbers == ["#9999"])
        }
    }

    @Test func aPhoneNumberWrittenAnyWayFindsTheCustomersOrders() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp { app in
            _ = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await Self.mail(app, "荷物が届きません", from: "another-address@example.jp")
            let contact = try #require(try await app.store.conversations.conversation(id: conversation)).contactId
            _ = try await app.store.contacts.update(id: contact, name: nil, email: nil, phone: "090-1234-5678")
            let panel = try await Self.panel(app, conversation)
            #expect(panel.orders.map(\.order.number) == ["#1042", "#1007"])
            #expect(panel.orders.allSatisfy { $0.reasons == ["phone"] })
        }
    }

    @Test func anUnreachableStoreShowsItsCachedOrdersWithTheirAgeNotNoOrders() async throws {
        try await withTestApp { app in
            // A port nothing listens on.
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: "http://127.0.0.1:9")
            try await ShopifyWebhookRouteTests.post(
                app, store: store,
                .init(topic: "orders/create", body: ShopifyWebhookRouteTests.order(updated: "2026-11-20T10:00:00+09:00")))
            let conversation = try await Self.mail(app, "まだ?")
            let started = ContinuousClock.now
            let panel = try await Self.panel(app, conversation)
            #expect(ContinuousClock.now - started < .seconds(8), "the sidebar waited for the store")
            #expect(panel.orders.map(\.order.number) == ["#1042"])
            #expect(panel.stores.first?.reachable == false)
            #expect(panel.stores.first?.problem?.isEmpty == false)
            #expect(try #require(panel.orders.first).seenAt <= Date())
            #expect(try await app.store.commerceStores.find(id: store)?.problem != nil)
        }
    }

    @Test func anAgentsLinkIsRememberedAndComesFirst() async throws {
        try await withTestApp { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: "http://127.0.0.1:9")
            try await ShopifyWebhookRouteTests.post(
                app, store: store,
                .init(topic: "orders/create", body: ShopifyWebhookRouteTests.order(7, updated: "2026-11-20T10:00:00+09:00")))
            let conversation = try await Self.mail(app, "こんにちは", from: "unknown@example.jp")
            #expect(try await Self.panel(app, conversation).orders.isEmpty)
            let body = jsonString(["store": store, "orderId": "gid://shopify/Order/7"])
            #expect(
                try await app.request(.post, "/api/v1/conversations/\(conversation)/orders/links", token: app.agentToken, json: body).status
                    == .noContent)
            #expect(try await Self.panel(app, conversation).orders.map(\.reasons) == [["linked"]])
            let missing = jsonString(["store": store, "orderId": "gid://shopify/Order/404"])
            #expect(
                try await app.request(.post, "/api/v1/conversations/\(conversation)/orders/links", token: app.agentToken, json: missing).status
                    == .notFound)
        }
    }

    @Test func onlyAnAdminConnectsAStoreAndOnlyWhatCanWork() async throws {
        try await withTestApp { app in
            let body: [String: Any] = [
                "name": "Shop", "platform": "shopify", "settings": ["shop": "linen-shop"],
                "credentials": ["clientId": "a", "clientSecret": "b"],
            ]
            #expect(try await app.request(.post, "/api/v1/commerce/stores", token: app.agentToken, json: jsonString(body)).status == .forbidden)
            for (change, field) in [
                (["settings": ["shop": "not a shop!"]], "settings.shop"), (["settings": ["shopp": "x"]], "settings.shopp"),
                (["credentials": [:] as [String: String]], "credentials"), (["platform": "file"], "platform"),
            ] as [([String: Any], String)] {
                let (status, out) = try await app.admin(.post, "/api/v1/commerce/stores", jsonString(body.merging(change) { _, b in b }))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(out)")
            }
            #expect(try await app.store.commerceStores.all().isEmpty)
            let (status, out) = try await app.admin(.post, "/api/v1/commerce/stores", jsonString(body))
            #expect(status == .created && out["hasCredentials"] as? Bool == true && out["credentials"] == nil)
        }
    }
}

/// `{order.…}` in canned replies, from the conversation's first order.
struct OrderVariablesTests {
    @Test func aCannedReplyNamesTheOrderItsParcelAndWhatIsNotKnown() async throws {
        try await withTestApp { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: "http://127.0.0.1:9")
            var order = ShopifyWebhookRouteTests.order(updated: "2026-11-20T10:00:00+09:00")
            order["fulfillment_status"] = "fulfilled"
            order["fulfillments"] = [
                [
                    "id": 1, "order_id": 5_829_416_312_932, "status": "success", "shipment_status": "in_transit", "tracking_company": "ヤマト運輸",
                    "tracking_number": "4512-3456-7890", "tracking_url": "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko",
                ]
            ]
            try await ShopifyWebhookRouteTests.post(app, store: store, .init(topic: "orders/updated", body: order))
            let conversation = try await OrdersPanelTests.mail(app, "#1042 はいつ届きますか")
            let (_, canned) = try await app.admin(
                .post, "/api/v1/canned-responses",
                jsonString([
                    "shortcut": "track", "title": "配送状況",
                    "body":
                        "{contact.name} 様、ご注文 {order.number}（{order.items}、{order.total}）は {order.carrier} の {order.tracking_number} で{order.status}です。{order.tracking_url} {order.gift}",
                ]))
            let id = (canned["id"] as! NSNumber).int64Value
            let (status, out) = try await app.admin(.post, "/api/v1/canned-responses/\(id)/render", jsonString(["conversationId": conversation]))
            #expect(status == .ok)
            #expect(
                out["text"] as? String
                    == "山田 花子 様、ご注文 #1042（リネンシャツ × 1、¥12,800）は ヤマト運輸 の 4512-3456-7890 で発送済みです。https://toi.kuronekoyamato.co.jp/cgi-bin/tneko {order.gift}"
            )
            #expect(out["unfilled"] as? [String] == ["order.gift"])
        }
    }
}

/// A name never links an order: the same name is a suggestion the agent may link.
struct OrderNameSuggestionTests {
    @Test func anOrderUnderTheSameNameIsOnlySuggestedUntilLinked() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let store = try await app.store.commerceStores.create(platform: .file, name: "saved")
            let order = Order(
                key: OrderKey(store: store.id, id: "n-1"), number: "#8001", email: "another@example.jp", customerName: "山田　花子",
                createdAt: Date(), updatedAt: Date())
            try await app.store.orders.save(order, keys: CommerceOrders.Keys(email: order.email, phone: nil))
            let conversation = try await OrdersPanelTests.mail(app, "届きません", from: "hanako.new@example.jp")
            let panel = try await OrdersPanelTests.panel(app, conversation)
            #expect(panel.orders.isEmpty, "a name alone showed an order as theirs")
            let r = try await app.request(.get, "/api/v1/conversations/\(conversation)/orders", token: app.agentToken)
            let suggestions = TestApp.object(r)["suggestions"] as? [[String: Any]] ?? []
            #expect(suggestions.map { ($0["order"] as? [String: Any])?["number"] as? String } == ["#8001"])
            #expect(suggestions.first?["reasons"] as? [String] == ["name"])
            let link = jsonString(["store": store.id, "orderId": "n-1"])
            #expect(
                try await app.request(.post, "/api/v1/conversations/\(conversation)/orders/links", token: app.agentToken, json: link).status
                    == .noContent)
            let after = try await OrdersPanelTests.panel(app, conversation)
            #expect(after.orders.map(\.reasons) == [["linked"]])
            #expect(
                (TestApp.object(try await app.request(.get, "/api/v1/conversations/\(conversation)/orders", token: app.agentToken))["suggestions"]
                    as? [Any])?.isEmpty == true)
        }
    }
}
