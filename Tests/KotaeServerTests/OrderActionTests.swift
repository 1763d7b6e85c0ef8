import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Fixes as recorded actions against the fake Shopify: a refund with Shopify's suggested
/// amount and the agents' limit, a replacement order and a coupon made exactly once even when
/// the answer is lost, and a task with a checklist where the shop system cannot act.
@Suite struct OrderActionTests {
    static let order = "gid://shopify/Order/5829416312932"
    static let socks = "gid://shopify/LineItem/14000000000002"

    struct Setup {
        let app: TestApp
        let fake: FakeShopify
        let store: Int64
        let conversation: Int64
    }

    /// 山田 花子 writes about #1042; its card is cached by opening the panel. `role: .web` runs
    /// no job runner, so a test submits by hand and sees each step.
    func withOrder(role: KotaeConfig.Role = .all, _ body: @escaping @Sendable (Setup) async throws -> Void) async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp(configure: { $0.role = role }) { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await OrdersPanelTests.mail(app, "#1042 のソックスが破れていました")
            _ = try await OrdersPanelTests.panel(app, conversation)
            try await body(Setup(app: app, fake: fake, store: store, conversation: conversation))
        }
    }

    func ask(_ s: Setup, _ fields: [String: Any], token: String? = nil) async throws -> (Int, [String: Any]) {
        var body: [String: Any] = ["store": s.store, "orderId": Self.order, "reason": "ソックスの破損"]
        body.merge(fields) { _, b in b }
        let r = try await s.app.request(
            .post, "/api/v1/conversations/\(s.conversation)/order-actions", token: token ?? s.app.agentToken, json: jsonString(body))
        return (Int(r.status.code), TestApp.object(r))
    }

    func state(_ s: Setup, _ id: Int64) async throws -> OrderAction.State? { try await s.app.store.orderActions.find(id: id)?.state }

    @Test func aRefundUsesShopifysSuggestedAmountAndIsMadeOnce() async throws {
        try await withOrder { s in
            let suggestion = try await s.app.request(
                .get, "/api/v1/conversations/\(s.conversation)/refund-suggestion?store=\(s.store)&orderId=\(Self.order)&lines=\(Self.socks):1",
                token: s.app.agentToken)
            let body = TestApp.object(suggestion)
            #expect(((body["suggestion"] as? [String: Any])?["amount"] as? [String: Any])?["amount"] as? String == "1500.0")
            #expect(body["needsApproval"] as? Bool == false)
            let (status, action) = try await ask(s, ["kind": "refund", "amount": "1500.0", "lines": [["lineId": Self.socks, "quantity": 1]]])
            #expect(status == 201 && action["state"] as? String == "approved")
            let id = (action["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await state(s, id) == .confirmed }, "the refund was not confirmed")
            let made = try await s.fake.made()
            #expect(made.refunds.count == 1 && made.refunds.first?.amount == "1500.0")
            #expect(made.refunds.first?.key == (action["key"] as? String))
            #expect(try await s.app.store.orderActions.find(id: id)?.result == made.refunds.first?.id)
            // Each step is on the conversation's timeline.
            let steps = try await s.app.store.events(conversationId: s.conversation).filter { $0.type == "order.action" }
            #expect(
                steps.map { (try? JSONDecoder().decode([String: String].self, from: Data($0.data.utf8)))?["state"] } == [
                    "approved", "submitted", "confirmed",
                ])
            for call in try await s.fake.calls() { #expect(call.errors == [], "\(call.operationName ?? "?")") }
        }
    }

    @Test func aRefundAboveAnAgentsLimitWaitsForAnAdmin() async throws {
        try await withOrder { s in
            let (status, action) = try await ask(s, ["kind": "refund", "amount": "12800.0"])
            #expect(status == 201 && action["state"] as? String == "requested")
            let id = (action["id"] as! NSNumber).int64Value
            #expect(try await s.app.request(.post, "/api/v1/order-actions/\(id)/approve", token: s.app.agentToken).status == .forbidden)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await s.fake.made().refunds.isEmpty, "refunded before an admin approved")
            let (approved, out) = try await s.app.admin(.post, "/api/v1/order-actions/\(id)/approve")
            #expect(approved == .ok && out["decidedBy"] as? Int == Int(s.app.admin.id))
            #expect(try await eventually { try await state(s, id) == .confirmed })
            #expect(try await s.fake.made().refunds.map(\.amount) == ["12800.0"])
            // Decided once: a second approval is refused.
            #expect(try await s.app.admin(.post, "/api/v1/order-actions/\(id)/approve").0 == .conflict)
            // Refused by an admin: never sent.
            let (_, second) = try await ask(s, ["kind": "refund", "amount": "9000"])
            let other = (second["id"] as! NSNumber).int64Value
            #expect(try await s.app.admin(.post, "/api/v1/order-actions/\(other)/reject").0 == .ok)
            #expect(try await state(s, other) == .rejected)
            #expect(try await s.fake.made().refunds.count == 1)
        }
    }

    /// The answer to the last step is lost (it comes after Kotae gave up): the action is
    /// `unknown`, not done and not failed; tried again under its key, nothing is made twice.
    @Test(arguments: [("reship", "CompleteReplacement"), ("refund", "Refund"), ("coupon", "Apology")])
    func aLostAnswerIsUnknownThenConfirmedWithNothingMadeTwice(kind: String, operation: String) async throws {
        try await withOrder(role: .web) { s in
            var fields: [String: Any] = ["kind": kind, "lines": [["lineId": Self.socks, "quantity": 1]]]
            if kind == "refund" { fields["amount"] = "1500.0" }
            if kind == "coupon" { fields = ["kind": "coupon", "percent": 10] }
            let (status, action) = try await ask(s, fields)
            try #require(status == 201, "\(action)")
            let id = (action["id"] as! NSNumber).int64Value
            let job = SubmitOrderActionJob(store: s.app.store, connections: s.app.services.commerce, hub: s.app.services.hub, clock: .system)
            try await s.fake.slow(operation, seconds: 5)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await state(s, id) == .unknown)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await state(s, id) == .confirmed)
            let made = try await s.fake.made()
            switch kind {
            case "reship":
                #expect(made.drafts.count == 1 && made.drafts[0].status == "COMPLETED")
                #expect(made.drafts[0].tags.contains(action["key"] as! String))
                #expect(try await s.app.store.orderActions.find(id: id)?.result == made.drafts[0].order?.name)
            case "refund":
                #expect(made.refunds.count == 1)
            default:
                #expect(made.discounts.count == 1)
                let (code, discount) = try #require(made.discounts.first)
                #expect(code.hasPrefix("SORRY-1042-") && discount.usageLimit == 1 && discount.appliesOncePerCustomer == true)
                #expect(discount.customerGets.value.percentage == 0.1)
                #expect(discount.customerSelection?.customers?.add == ["gid://shopify/Customer/7290110001234"])
            }
            // A third run (a duplicate job) does nothing.
            _ = try await job.run(SubmitOrderAction(actionId: id))
            let again = try await s.fake.made()
            #expect(again.drafts.count + again.refunds.count + again.discounts.count == made.drafts.count + made.refunds.count + made.discounts.count)
        }
    }

    @Test func aGiftCardsCodeIsShownOnceToTheAgentWhoAskedThenOnlyItsEnd() async throws {
        try await withOrder(role: .web) { s in
            let (status, action) = try await ask(s, ["kind": "giftCard", "amount": "1000"])
            try #require(status == 201, "\(action)")
            #expect(action["secret"] == nil, "the code left the server before it was made")
            let id = (action["id"] as! NSNumber).int64Value
            let job = SubmitOrderActionJob(store: s.app.store, connections: s.app.services.commerce, hub: s.app.services.hub, clock: .system)
            // Not made yet: nothing to show.
            #expect(try await s.app.request(.post, "/api/v1/order-actions/\(id)/code", token: s.app.agentToken).status == .conflict)
            try await s.fake.slow("GiftCard", seconds: 5)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await state(s, id) == .unknown)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await state(s, id) == .confirmed)
            let cards = try await s.fake.made().giftCards
            #expect(cards.count == 1 && cards[0].initialValue == "1000" && cards[0].customerId == "gid://shopify/Customer/7290110001234")
            let result = try #require(try await s.app.store.orderActions.find(id: id)?.result)
            #expect(result == "…" + cards[0].code.suffix(4))
            // Another agent (here the admin) may not read it; the one who asked reads it once.
            #expect(try await s.app.request(.post, "/api/v1/order-actions/\(id)/code", token: s.app.adminToken).status == .forbidden)
            let first = try await s.app.request(.post, "/api/v1/order-actions/\(id)/code", token: s.app.agentToken)
            #expect(first.status == .ok && TestApp.object(first)["code"] as? String == cards[0].code)
            let second = try await s.app.request(.post, "/api/v1/order-actions/\(id)/code", token: s.app.agentToken)
            #expect(second.status == .conflict && (TestApp.object(second)["detail"] as? String)?.contains(result) == true)
            let listed = try await s.app.request(.get, "/api/v1/conversations/\(s.conversation)/order-actions", token: s.app.agentToken)
            #expect(!String(buffer: listed.body).contains(cards[0].code))
        }
    }

    @Test func cancellingWaitsForShopifysJobAndIsNeverAskedTwice() async throws {
        try await withOrder(role: .web) { s in
            let (_, action) = try await ask(s, ["kind": "cancel"])
            let id = (action["id"] as! NSNumber).int64Value
            let job = SubmitOrderActionJob(store: s.app.store, connections: s.app.services.commerce, hub: s.app.services.hub, clock: .system)
            _ = try await job.run(SubmitOrderAction(actionId: id))
            #expect(try await state(s, id) == .confirmed)
            let cancels = try await s.fake.made().cancels
            #expect(cancels.count == 1 && cancels[0].done && cancels[0].orderId == Self.order)
            // A second cancel of the same order: Shopify shows it cancelled, nothing is asked.
            let (_, again) = try await ask(s, ["kind": "cancel"])
            _ = try await job.run(SubmitOrderAction(actionId: (again["id"] as! NSNumber).int64Value))
            #expect(try await s.fake.made().cancels.count == 1)
            for call in try await s.fake.calls() { #expect(call.errors == [], "\(call.operationName ?? "?")") }
        }
    }

    @Test func whatShopifyRefusesIsAFailureInItsWords() async throws {
        try await withOrder(role: .web) { s in
            // Refunded in full already: nothing is left to refund.
            _ = try await ask(s, ["kind": "refund", "amount": "12800.0"], token: s.app.adminToken)
            let first = try #require(try await s.app.store.orderActions.of(conversationId: s.conversation).first)
            let job = SubmitOrderActionJob(store: s.app.store, connections: s.app.services.commerce, hub: s.app.services.hub, clock: .system)
            _ = try await job.run(SubmitOrderAction(actionId: first.id))
            #expect(try await state(s, first.id) == .confirmed)
            let (_, second) = try await ask(s, ["kind": "refund", "amount": "1500.0", "lines": [["lineId": Self.socks, "quantity": 1]]])
            let id = (second["id"] as! NSNumber).int64Value
            _ = try await job.run(SubmitOrderAction(actionId: id))
            let failed = try #require(try await s.app.store.orderActions.find(id: id))
            #expect(failed.state == .failed)
            #expect(failed.error?.contains("Shopify would now refund 0") == true, "\(failed.error ?? "")")
        }
    }

    @Test func whereTheShopSystemCannotActItIsATaskWithAChecklist() async throws {
        try await withTestApp { app in
            let path = OrderImportTests.template
            var config = KotaeConfig()
            config.dataDirectory = app.database.dataDirectory
            config.databaseURL = app.database.url
            config.secretKey = "test-secret-key"
            _ = try await OrderImport.run(config: config, storeName: "自社EC", path: path, mapping: [:]) { _, _ in }
            let store = try #require(try await app.store.commerceStores.all().first).id
            let conversation = try await OrdersPanelTests.mail(app, "#2001 が届きません")
            let order = try #require(try await app.store.orders.numbered("#2001", store: store).first?.order)
            let r = try await app.request(
                .post, "/api/v1/conversations/\(conversation)/order-actions", token: app.agentToken,
                json: jsonString(["store": store, "orderId": order.key.id, "kind": "refund", "amount": "12800", "reason": "不着"]))
            let task = TestApp.object(r)
            #expect(r.status == .created && task["state"] as? String == "manual")
            #expect((task["checklist"] as? [String])?.first == "task_refund_1")
            let id = (task["id"] as! NSNumber).int64Value
            #expect(try await app.admin(.post, "/api/v1/order-actions/\(id)/approve").0 == .conflict)
            #expect(try await app.request(.post, "/api/v1/order-actions/\(id)/done", token: app.agentToken).status == .ok)
            #expect(try await app.store.orderActions.find(id: id)?.state == .done)
        }
    }

    @Test func whatCannotWorkIsRefusedAndNothingIsRecorded() async throws {
        try await withOrder(role: .web) { s in
            for (fields, field) in [
                (["kind": "refund", "amount": "1500", "reason": " "], "reason"),
                (["kind": "refund", "amount": "0"], "amount"),
                (["kind": "refund"], "amount"),
                (["kind": "reship", "lines": [["lineId": Self.socks, "quantity": 3]]], "lines"),
                (["kind": "reship", "lines": [["lineId": "gid://shopify/LineItem/1", "quantity": 1]]], "lines"),
                (["kind": "reship"], "lines"),
                (["kind": "coupon", "percent": 0], "percent"),
            ] as [([String: Any], String)] {
                let (status, out) = try await ask(s, fields)
                #expect(status == 422 && out["field"] as? String == field, "\(fields): \(out)")
            }
            #expect(try await ask(s, ["kind": "refund", "amount": "1", "orderId": "gid://shopify/Order/404"]).0 == 404)
            #expect(try await s.app.store.orderActions.of(conversationId: s.conversation).isEmpty)
        }
    }
}
