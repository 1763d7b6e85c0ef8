import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// BASE against the fake: recent orders read into the cache (the list, then only changed
/// details), the customer's order matched by address from that copy, the replaced refresh
/// token kept, and the hourly limit respected.
@Suite struct BaseTests {
    static func connect(_ app: TestApp, _ fake: FakeBase) async throws -> Int64 {
        let (status, out) = try await app.admin(
            .post, "/api/v1/commerce/stores",
            jsonString([
                "name": "BASE店", "platform": "base",
                "credentials": ["clientId": fake.clientId, "clientSecret": fake.clientSecret, "refreshToken": fake.firstRefreshToken],
            ]))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    func sync(_ app: TestApp, _ store: Int64) async throws -> JobRunner.JobResult {
        try await SyncBaseOrdersJob(store: app.store, connections: app.services.commerce, clock: .system).run(SyncBaseOrders(store: store))
    }

    @Test func recentOrdersComeIntoTheCacheAndTheCustomerIsMatchedByAddress() async throws {
        let fake = try await FakeBase()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: {
            $0.baseAPIBase = base; $0.role = .web
        }) { app in
            let store = try await Self.connect(app, fake)
            // 150 more orders this month: two pages of the list.
            var template = try FakeBase.corpusDetail()
            let now = Int(Date().timeIntervalSince1970)
            try await fake.add(
                orders: (1...150).map { n in
                    template["unique_key"] = String(format: "B%015d", n)
                    template["mail_address"] = "buyer\(n)@example.jp"
                    template["ordered"] = now - n * 3600
                    template["modified"] = now - n * 3600
                    return template
                })
            #expect("\(try await sync(app, store))" == "done")
            let first = try await fake.requests()
            #expect(first.filter { $0.path == "/1/orders" }.count == 2)
            #expect(first.filter { $0.path.hasPrefix("/1/orders/detail/") }.count == 151)
            #expect(first.allSatisfy { $0.errors.isEmpty })
            // Read again: the list only; nothing changed, so no detail.
            _ = try await sync(app, store)
            let second = try await fake.requests().dropFirst(first.count)
            #expect(second.filter { $0.path.hasPrefix("/1/orders/detail/") }.isEmpty)

            // The refresh token BASE replaced is the one kept.
            let kept = try await app.store.commerceStores.credentials(id: store)["refreshToken"]
            #expect(kept != fake.firstRefreshToken && kept?.hasPrefix("refresh-") == true)

            let conversation = try await OrdersPanelTests.mail(app, "届いた商品が違います")
            let panel = try await OrdersPanelTests.panel(app, conversation)
            #expect(panel.orders.map(\.order.number) == [FakeBase.corpusOrder])
            #expect(panel.orders.first?.reasons == ["email"])
            #expect(panel.orders.first?.order.fulfilment == .fulfilled)
            #expect(panel.orders.first?.order.shipments.first?.tracking.first?.number == "123456789012")
            #expect(panel.stores.first?.reachable == nil, "BASE is never searched by address, nor said unreachable")
        }
    }

    @Test func theHourlyLimitStopsTheReadInWordsAndNoMoreIsAsked() async throws {
        let fake = try await FakeBase()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: {
            $0.baseAPIBase = base; $0.role = .web
        }) { app in
            let store = try await Self.connect(app, fake)
            try await fake.limit(hour: 0)
            #expect("\(try await sync(app, store))".contains("hour_api_limit"))
            #expect(try await app.store.commerceStores.find(id: store)?.problem?.contains("1時間のAPIの利用上限") == true)
            let asked = try await fake.requests().count
            // Kotae counts BASE's limit as reached until the next hour: nothing more is sent.
            #expect("\(try await sync(app, store))".contains("hourly limit"))
            #expect(try await fake.requests().count == asked)
        }
    }

    @Test func aCallBudgetKeepsUnderTheLimitsBySelf() async throws {
        let clock = Locked(Date(timeIntervalSince1970: 1_795_111_200))
        let budget = BaseCallBudget(hourly: 3, daily: 5, now: { clock.withLock { $0 } })
        for _ in 0..<3 { try await budget.spend() }
        await #expect(throws: CommerceError.self) { try await budget.spend() }
        clock.withLock { $0 = $0.addingTimeInterval(3600) }
        try await budget.spend()
        try await budget.spend()
        await #expect(throws: CommerceError.self) { try await budget.spend() }
    }
}
