import Foundation
import HTTPTypes
import HummingbirdTesting
import KotaeCommerce
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// Issue 14's Rakuten scenario from end to end: 「まだ?」 from a masked address, the order found
/// with why it is late, a reship Rakuten cannot make shipped as one draft order from the shop's
/// Shopify store (even when the first try's answer is lost), the follow-up once Shopify reports
/// the parcel delivered, the conversation resolved, one survey answered and a second refused.
@Suite struct ScenarioTests {
    @Test func rakutensMadaFromAMaskedAddressToARatedResolution() async throws {
        let rms = try await FakeRMS()
        defer { rms.stop() }
        let shopify = try await FakeShopify()
        defer { shopify.stop() }
        let base = rms.base
        try await withTestApp(configure: {
            $0.rakutenAPIBase = base; $0.publicURL = "https://kotae.test"; $0.role = .web
        }) { app in
            let store = try await RakutenTests.connect(app, fake: rms)
            let warehouse = try await ShopifyWebhookRouteTests.connect(app, shop: shopify.base)
            // Replacements of Rakuten orders are made in the shop's Shopify store.
            let (set, settings) = try await app.admin(
                .patch, "/api/v1/commerce/stores/\(store)", jsonString(["settings": ["replacementStore": String(warehouse)]]))
            #expect(set == .ok && (settings["settings"] as? [String: String])?["replacementStore"] == String(warehouse))
            let conversation = try await OrdersPanelTests.mail(app, "まだ?", from: FakeRMS.maskedAddress)

            // Found by the masked address; why it is late is Rakuten's own status: 発送待ち.
            let panel = try await OrdersPanelTests.panel(app, conversation)
            let late = try #require(panel.orders.first { $0.order.platformStatus == "300" })
            #expect(late.reasons == ["email"] && late.order.shipments.isEmpty)

            // A reship: RMS cannot make one, the Shopify store can.
            let (status, asked) = try await app.admin(
                .post, "/api/v1/conversations/\(conversation)/order-actions",
                jsonString([
                    "store": store, "orderId": late.order.key.id, "kind": "reship", "reason": "発送遅延のため再送",
                    "lines": [["lineId": late.order.lines[0].id ?? "", "quantity": 1]],
                ]))
            #expect(status == .created && asked["state"] as? String == "approved" && (asked["via"] as? NSNumber)?.int64Value == warehouse)
            let id = (asked["id"] as! NSNumber).int64Value
            // The first try's answer comes after Kotae gave up: not known, tried again, one order.
            let job = SubmitOrderActionJob(store: app.store, connections: app.services.commerce, hub: app.services.hub, clock: .system)
            try await shopify.slow("Replacement", seconds: 5)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await app.store.orderActions.find(id: id)?.state == .unknown)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            let action = try #require(try await app.store.orderActions.find(id: id))
            #expect(action.state == .confirmed)
            let drafts = try await shopify.made().drafts
            #expect(drafts.count == 1)
            let draft = try #require(drafts.first)
            // The shirt by its SKU (ls-nv-m at Rakuten, LS-NV-M at Shopify), to the Rakuten buyer's
            // address; the masked mail address is not given to Shopify.
            #expect(draft.lineItems.map(\.variantId) == ["gid://shopify/ProductVariant/14000000000001"])
            #expect(draft.shippingAddress?["lastName"] == late.order.shippingAddress?.name && draft.email == nil)
            #expect(action.result == draft.order?.name && action.watch?.store == warehouse)

            // Shopify reports the replacement delivered: the customer is asked whether all is well.
            let followUps = DeliveryFollowUpService(
                store: app.store, channels: app.services.channels, hub: app.services.hub, clock: .system, logger: app.services.logger)
            try await followUps.sendDue()
            #expect(try await app.store.deliveryFollowUps.of(conversationId: conversation).first?.state == .waiting, "not before delivery")
            try await ShopifyWebhookRouteTests.replacementDelivered(
                app, store: warehouse, gid: try #require(action.watch).id, name: draft.order?.name)
            try await followUps.sendDue()
            let asking = try await app.store.conversations.messages(conversationId: conversation).filter { $0.kind == .automated }
            #expect(asking.count == 1 && asking[0].text.contains(late.order.number))

            // Answered and resolved: an hour later, the survey; one rating, a second refused.
            let (reply, _) = try await app.store.conversations.reply(conversationId: conversation, text: "再送いたしました。", author: app.agent.id)
            try await app.store.conversations.setDelivery(messageId: reply.id, state: .sent, error: nil, externalId: "out-\(reply.id)", at: Date())
            let resolved = try await app.request(
                .post, "/api/v1/conversations/\(conversation)/status", token: app.agentToken, json: jsonString(["status": "resolved"]))
            #expect(resolved.status == .ok)
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
                .sendDue()
            let survey = try #require(
                try await app.store.conversations.messages(conversationId: conversation).last { $0.kind == .automated }?.text.split(separator: " ")
                    .last)
            let path = String(survey.dropFirst("https://kotae.test".count))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            #expect(try await app.client.execute(uri: path, method: .post, headers: form, body: ByteBuffer(string: "rating=4")).status == .ok)
            #expect(try await app.client.execute(uri: path, method: .post, headers: form, body: ByteBuffer(string: "rating=1")).status == .conflict)
            let (_, stats) = try await app.admin(.get, "/api/v1/stats/csat")
            #expect(stats["answered"] as? Int == 1 && stats["score"] as? Double == 1)
        }
    }

    /// Without a store to ship them, a Rakuten reship stays a task done by hand, followed up
    /// the set days after it was done.
    @Test func withoutAReplacementStoreARakutenReshipIsATaskFollowedUpDaysLater() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: {
            $0.rakutenAPIBase = base; $0.role = .web
        }) { app in
            let store = try await RakutenTests.connect(app, fake: fake)
            let conversation = try await OrdersPanelTests.mail(app, "まだ?", from: FakeRMS.maskedAddress)
            let late = try #require(try await OrdersPanelTests.panel(app, conversation).orders.first { $0.order.platformStatus == "300" })
            let (status, task) = try await app.admin(
                .post, "/api/v1/conversations/\(conversation)/order-actions",
                jsonString([
                    "store": store, "orderId": late.order.key.id, "kind": "reship", "reason": "発送遅延のため再送",
                    "lines": [["lineId": late.order.lines[0].id ?? "", "quantity": 1]],
                ]))
            #expect(status == .created && task["state"] as? String == "manual")
            #expect((task["checklist"] as? [String])?.count == 3)
            let id = (task["id"] as! NSNumber).int64Value
            #expect(try await app.request(.post, "/api/v1/order-actions/\(id)/done", token: app.agentToken).status == .ok)
            let followUps = DeliveryFollowUpService(
                store: app.store, channels: app.services.channels, hub: app.services.hub,
                clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(5 * 86_400 + 60) }), logger: app.services.logger)
            try await followUps.sendDue()
            let asked = try await app.store.conversations.messages(conversationId: conversation).filter { $0.kind == .automated }
            #expect(asked.count == 1 && asked[0].text.contains(late.order.number))
        }
    }
}

/// Issue 14's green-coat scenario: a public complaint, a private reply, a replacement and an
/// apology coupon recorded and made in Shopify, one question after the replacement is
/// delivered, and the survey answered.
@Suite struct GreenCoatScenarioTests {
    @Test func aPublicComplaintToAnAnsweredSurvey() async throws {
        let graph = FakeGraph()
        try await graph.start()
        defer { graph.stop() }
        let shopify = try await FakeShopify()
        defer { shopify.stop() }
        let graphBase = graph.base
        try await withTestApp(configure: {
            $0.graphAPIBase = graphBase; $0.publicURL = "https://kotae.test"
        }) { app in
            let page = FacebookTests.page
            let inbox = try await app.makeInbox(
                channel: "facebook", settings: ["pageId": page],
                credentials: ["appSecret": FacebookTests.appSecret, "verifyToken": "v", "pageAccessToken": graph.pageToken])
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: shopify.base)
            let facebook = FacebookTests()
            let now = Int(Date().timeIntervalSince1970)
            let comment =
                #"{"object":"page","entry":[{"id":"\#(page)","time":\#(now),"changes":[{"field":"feed","value":{"from":{"id":"7000000000000002","name":"Hanako Yamada"},"post_id":"\#(page)_900000000000003","comment_id":"900000000000003_1200000000000004","created_time":\#(now),"item":"comment","parent_id":"\#(page)_900000000000003","verb":"add","message":"I ordered a green coat and got a blue one"}}]}]}"#
            #expect(try await facebook.deliver(app, inbox, Data(comment.utf8)) == .ok)
            let c = try #require(try await facebook.inbound(app).first).conversationId
            let (_, dm) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "ご注文番号を教えていただけますか？", "private": true]))
            let dmId = facebook.int(dm["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: dmId)?.deliveryState == .sent })
            #expect(try await facebook.deliver(app, inbox, facebook.messenger("6000000000000001", mid: "m_order", text: "注文番号は #1042 です")) == .ok)

            // The order beside it, by the number; a replacement and a coupon, made in Shopify.
            let panel = try await OrdersPanelTests.panel(app, c)
            let order = try #require(panel.orders.first { $0.order.number == "#1042" }).order
            for fix: [String: Any] in [
                ["kind": "reship", "lines": [["lineId": order.lines[0].id ?? "", "quantity": 1]]], ["kind": "coupon", "percent": 10],
            ] {
                let body = fix.merging(["store": store, "orderId": order.key.id, "reason": "色違いの誤配送"]) { a, _ in a }
                #expect(try await app.admin(.post, "/api/v1/conversations/\(c)/order-actions", jsonString(body)).0 == .created)
            }
            #expect(
                try await eventually(timeout: 20) {
                    try await app.store.orderActions.of(conversationId: c).allSatisfy { $0.state == .confirmed }
                })
            let made = try await shopify.made()
            #expect(made.drafts.count == 1 && made.discounts.count == 1)

            // Shopify reports the replacement delivered: one question goes, by Messenger.
            let replacement = try #require(try await app.store.orderActions.of(conversationId: c).first { $0.kind == .reship }?.watch)
            try await ShopifyWebhookRouteTests.replacementDelivered(app, store: store, gid: replacement.id, name: nil)
            let followUps = DeliveryFollowUpService(
                store: app.store, channels: app.services.channels, hub: app.services.hub, clock: .system, logger: app.services.logger)
            try await followUps.sendDue()
            let states = try await app.store.deliveryFollowUps.of(conversationId: c).map(\.state)
            #expect(states.sorted { $0.rawValue < $1.rawValue } == [.cancelled, .sent], "one question for both fixes")
            #expect(
                try await eventually {
                    graph.requests.contains {
                        ($0.json["message"] as? [String: Any])?["text"] as? String
                            == "Hanako Yamada 様、その後、ご注文 #1042 について何か問題はございませんか？お気づきの点があれば、このままご返信ください。"
                    }
                })

            // Answered and resolved; an hour later the survey goes by Messenger and is answered.
            let (_, thanks) = try await app.admin(
                .post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "緑のコートとクーポンをお送りしました。", "private": true]))
            let thanksId = facebook.int(thanks["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: thanksId)?.deliveryState == .sent })
            let resolved = try await app.request(
                .post, "/api/v1/conversations/\(c)/status", token: app.adminToken, json: jsonString(["status": "resolved"]))
            #expect(resolved.status == .ok, "\(String(buffer: resolved.body))")
            try await SurveyService(app: app.services, clock: AppClock(sleeper: ContinuousClock(), now: { Date().addingTimeInterval(61 * 60) }))
                .sendDue()
            let link = try #require(
                try await app.store.conversations.messages(conversationId: c).last { $0.kind == .automated }?.text.split(separator: " ").last)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let path = String(link.dropFirst("https://kotae.test".count))
            #expect(try await app.client.execute(uri: path, method: .post, headers: form, body: ByteBuffer(string: "rating=5")).status == .ok)
            #expect(try await app.store.surveys.of(conversationId: c).first?.rating == 5)
        }
    }
}
