import Foundation
import HTTPTypes
import KotaeCommerce
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import Testing

/// Rakuten Ichiba against the fake RMS: a masked address searched in RMS's windows, orders read
/// 100 at a time, status codes in words, and the licence key's expiry said two weeks ahead.
@Suite struct RakutenTests {
    func source(_ fake: FakeRMS, licenseKey: String? = nil) -> RakutenOrderSource {
        RakutenOrderSource(
            store: 1, rms: RakutenRMS(http: .shared, base: fake.base, serviceSecret: fake.serviceSecret, licenseKey: licenseKey ?? fake.licenseKey))
    }

    @Test func aMaskedAddressIsSearchedOverTwoYearsThenOnlySinceTheLastSearch() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let shop = source(fake)
        let orders = try await shop.orders(.email, FakeRMS.maskedAddress)
        #expect(orders.map(\.number) == [FakeRMS.recentOrder, "123456-20261002-0000009876"])
        let first = try await fake.requests()
        #expect(first.filter { $0.operation == "searchOrder" }.count == 12)
        #expect(first.allSatisfy { $0.errors.isEmpty }, "\(first.flatMap(\.errors))")
        #expect(first.filter { $0.operation == "getOrder" }.count == 1)
        // Looked at again: one window, from a day before the last search.
        _ = try await shop.orders(.email, FakeRMS.maskedAddress)
        #expect(try await fake.requests().filter { $0.operation == "searchOrder" }.count == 13)
    }

    @Test func ordersAreReadAHundredAtATime() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let template = try FakeRMS.corpusOrder()
        let address = "f00dfeedf00dfeedf00dfeedf00dfeed@fw.rakuten.ne.jp"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        let many = (0..<150).map { n -> [String: Any] in
            var order = template
            order["orderNumber"] = String(format: "123456-20260101-%010d", n)
            order["orderDatetime"] = formatter.string(from: Date().addingTimeInterval(-Double(n * 4 + 1) * 86_400))
            var orderer = order["OrdererModel"] as! [String: Any]
            orderer["emailAddress"] = address
            order["OrdererModel"] = orderer
            return order
        }
        try await fake.add(orders: many)
        #expect(try await source(fake).orders(.email, address).count == 150)
        let gets = try await fake.requests().filter { $0.operation == "getOrder" }
        #expect(gets.map { $0.body.orderNumberList?.count ?? 0 } == [100, 50])
        #expect(gets.allSatisfy { $0.errors.isEmpty })
    }

    @Test func anAddressThatIsNotMaskedIsNeverSearched() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        #expect(try await source(fake).orders(.email, "hanako.yamada@example.jp").isEmpty)
        #expect(try await fake.requests().isEmpty)
    }

    @Test func aLicenceKeyRMSRefusesIsASignInProblemInItsWords() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        await #expect {
            try await source(fake, licenseKey: "SL_expired").orders(.number, FakeRMS.recentOrder)
        } throws: { error in
            (error as? CommerceError)?.kind == .signIn && "\(error)".contains("licence key is invalid or has expired")
        }
    }

    static func connect(_ app: TestApp, issued: String? = nil, fake: FakeRMS) async throws -> Int64 {
        var body: [String: Any] = [
            "name": "楽天市場店", "platform": "rakuten",
            "credentials": ["serviceSecret": fake.serviceSecret, "licenseKey": fake.licenseKey],
        ]
        if let issued { body["settings"] = ["licenseKeyIssued": issued] }
        let (status, out) = try await app.admin(.post, "/api/v1/commerce/stores", jsonString(body))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    @Test func aMailFromAMaskedAddressFindsItsOrderBesideTheConversation() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: { $0.rakutenAPIBase = base }) { app in
            _ = try await Self.connect(app, fake: fake)
            let conversation = try await OrdersPanelTests.mail(app, "まだ?", from: FakeRMS.maskedAddress)
            let panel = try await OrdersPanelTests.panel(app, conversation)
            #expect(panel.orders.map(\.order.number) == [FakeRMS.recentOrder, "123456-20261002-0000009876"])
            #expect(panel.orders.map(\.reasons) == [["email"], ["email"]])
            // Why the second has not arrived: RMS's own status, 300 発送待ち.
            #expect(panel.orders.map(\.order.platformStatus) == ["500", "300"])
            #expect(panel.stores.first?.reachable == true && panel.stores.first?.licenceExpires == nil)
            // A Rakuten number in the message finds its order by getOrder.
            let other = try await OrdersPanelTests.mail(app, "注文番号 123456-20261002-0000009876 の件です", from: "other@example.jp")
            #expect(try await OrdersPanelTests.panel(app, other).orders.map(\.reasons) == [["numberInMessage"]])
        }
    }

    @Test func theLicenceKeysExpiryIsSaidTwoWeeksAhead() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: { $0.rakutenAPIBase = base }) { app in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
            formatter.dateFormat = "yyyy-MM-dd"
            _ = try await Self.connect(app, issued: formatter.string(from: Date().addingTimeInterval(-80 * 86_400)), fake: fake)
            let conversation = try await OrdersPanelTests.mail(app, "まだ?", from: FakeRMS.maskedAddress)
            let expires = try #require(try await OrdersPanelTests.panel(app, conversation).stores.first?.licenceExpires)
            #expect(abs(expires.timeIntervalSinceNow - 10 * 86_400) < 86_400 * 1.1)
            let (status, out) = try await app.admin(
                .post, "/api/v1/commerce/stores",
                jsonString([
                    "name": "x", "platform": "rakuten", "settings": ["licenseKeyIssued": "20 Nov"],
                    "credentials": ["serviceSecret": "a", "licenseKey": "b"],
                ]))
            #expect(status == .unprocessableContent && out["field"] as? String == "settings.licenseKeyIssued")
        }
    }

    /// Every 90 days the shop issues a new licence key and says so on the store; a change
    /// that cannot work is refused whole, with the field, and nothing of it is stored.
    @Test func aRenewedLicenceKeyIsSetOnTheStoreAndABadChangeStoresNothing() async throws {
        let fake = try await FakeRMS()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: { $0.rakutenAPIBase = base }) { app in
            let day = ShopDates.formatter("yyyy-MM-dd")
            let store = try await Self.connect(app, issued: day.string(from: Date().addingTimeInterval(-80 * 86_400)), fake: fake)
            let conversation = try await OrdersPanelTests.mail(app, "まだ?", from: FakeRMS.maskedAddress)
            let before = try #require(try await app.store.commerceStores.find(id: store))
            let file = try await app.store.commerceStores.create(platform: .file, name: "saved")
            for (change, field, status): ([String: Any], String, HTTPResponse.Status) in [
                // Only a Shopify store can make replacements.
                (["settings": ["replacementStore": String(store)]], "settings.replacementStore", .unprocessableContent),
                (["settings": ["replacementStore": "shop"]], "settings.replacementStore", .unprocessableContent),
                (["settings": ["licenseKeyIssued": day.string(from: Date()), "apiKey": "x"]], "settings.apiKey", .unprocessableContent),
                (["settings": ["licenseKeyIssued": "today"]], "settings.licenseKeyIssued", .unprocessableContent),
                (
                    ["credentials": ["licenseKey": ""], "settings": ["licenseKeyIssued": day.string(from: Date())]], "credentials",
                    .unprocessableContent
                ),
                (["name": " "], "name", .unprocessableContent),
            ] {
                let (got, out) = try await app.admin(.patch, "/api/v1/commerce/stores/\(store)", jsonString(change))
                #expect(got == status && out["field"] as? String == field, "\(change): \(out)")
            }
            #expect(try await app.store.commerceStores.find(id: store) == before, "nothing of a refused change is stored")
            #expect(try await OrdersPanelTests.panel(app, conversation).stores.first?.reachable == true, "the credentials are as they were")
            // A store of imported orders has settings to edit, and no credentials.
            let (refused, why) = try await app.admin(.patch, "/api/v1/commerce/stores/\(file.id)", #"{"credentials":{"apiKey":"x"}}"#)
            #expect(refused == .unprocessableContent && why["field"] as? String == "credentials.apiKey")
            #expect(try await app.admin(.patch, "/api/v1/commerce/stores/\(file.id)", #"{"settings":{"orderPrefix":"MC-"}}"#).0 == .ok)
            #expect(try await app.store.commerceStores.find(id: file.id)?.settings == ["orderPrefix": "MC-"])
            #expect(try await app.admin(.patch, "/api/v1/commerce/stores/999", #"{"name":"x"}"#).0 == .notFound)

            let (ok, renewed) = try await app.admin(
                .patch, "/api/v1/commerce/stores/\(store)",
                jsonString(["settings": ["licenseKeyIssued": day.string(from: Date())], "credentials": ["licenseKey": fake.licenseKey]]))
            #expect(ok == .ok && renewed["name"] as? String == before.name && renewed["credentials"] == nil)
            let panel = try await OrdersPanelTests.panel(app, conversation)
            #expect(panel.stores.first?.licenceExpires == nil && panel.stores.first?.reachable == true)
        }
    }
}
