import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// The nightly pass that fills in what Shopify's webhooks missed.
struct OrderReconciliationTests {
    @Test func theNightsPassIsDueFromThreeInTheMorningInTokyo() {
        let before = Date(timeIntervalSince1970: 1_795_111_140)  // 2026-11-20 02:59 JST
        #expect(OrderReconciliation.night(of: before) == nil)
        #expect(OrderReconciliation.night(of: before.addingTimeInterval(60)) == "2026-11-20")
        #expect(OrderReconciliation.night(of: before.addingTimeInterval(20 * 3600)) == "2026-11-20")
        #expect(OrderReconciliation.night(of: before.addingTimeInterval(22 * 3600)) == nil, "00:59 the next day: that night's pass is not due yet")
    }

    @Test func everyOrderChangedSinceTheLastPassIsReadPageByPageAndQueuedOncePerNight() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        // 40 more orders than the corpus's two, all changed this month: three pages of fifteen.
        let template = try #require(
            ((((try FakeShopify.fixture("shopify/graphql/order-detail-fulfillments.doc-example.json")["response"] as! [String: Any])["body"]
                as! [String: Any])["data"] as! [String: Any])["order"] as? [String: Any]))
        try await fake.add(
            orders: (1...40).map { n in
                var o = template
                o["id"] = "gid://shopify/Order/\(9_000_000 + n)"
                o["name"] = "#\(3000 + n)"
                o["email"] = "buyer\(n)@example.jp"
                o["createdAt"] = "2026-11-\(String(format: "%02d", n % 28 + 1))T01:00:00Z"
                o["updatedAt"] = o["createdAt"]
                o["currentTotalPriceSet"] = ["shopMoney": ["amount": "\(n * 100).0", "currencyCode": "JPY"]]
                return o
            })
        // A Plus plan's bucket: three pages of 692 points each without waiting long for points.
        try await fake.bucket(maximum: 2000, restore: 1000, available: 2000)
        try await withTestApp { app in
            let store = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let job = ReconcileOrdersJob(store: app.store, connections: app.services.commerce, clock: .system)
            let since = Date(timeIntervalSince1970: 1_761_955_200)  // 2025-11-01
            #expect(try await job.run(ReconcileOrders(store: store, since: since)) == .done)
            let calls = try await fake.calls()
            #expect(calls.map(\.operationName) == Array(repeating: "OrdersUpdatedSince", count: 3))
            #expect(calls.allSatisfy { $0.errors == [] }, "\(calls.compactMap(\.errors))")
            #expect(try await app.store.orders.numbered("#3040", store: store).count == 1)
            #expect(try await app.store.orders.numbered("#1042", store: store).count == 1)
            let recorded = try #require(try await app.store.setting(OrderReconciliation.settingKey(store)))

            // Tonight's pass is queued once, from where the last one started, however often asked;
            // before three in the morning, nothing.
            let at = { (date: Date) in AppClock(sleeper: ContinuousClock(), now: { date }) }
            let twoAM = Date(timeIntervalSince1970: 1_795_107_600)  // 2026-11-20 02:00 JST
            try await OrderReconciliation(store: app.store, clock: at(twoAM), logger: app.services.logger).queueDue()
            #expect(try await app.store.jobs.list().filter { $0.kind == ReconcileOrders.kind }.isEmpty)
            let noon = OrderReconciliation(store: app.store, clock: at(twoAM.addingTimeInterval(10 * 3600)), logger: app.services.logger)
            try await noon.queueDue()
            try await noon.queueDue()
            let queued = try await app.store.jobs.list().filter { $0.kind == ReconcileOrders.kind }
            #expect(queued.count == 1)
            #expect(try queued.first?.payload(as: ReconcileOrders.self).since == Date.ISO8601FormatStyle().parse(recorded))
        }
    }
}

extension JobRunner.JobResult: Equatable {
    public static func == (a: Self, b: Self) -> Bool { "\(a)" == "\(b)" }
}
