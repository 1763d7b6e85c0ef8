import AsyncHTTPClient
import Foundation
import KotaeCommerce
import KotaeCore
import KotaeTesting
import Testing

/// The Shopify GraphQL client against the fake store: every query valid against Shopify's
/// schema, the client-credentials token asked for once and renewed when refused, the cost
/// bucket read from every answer and THROTTLED waited out whatever the HTTP status.
@Suite struct ShopifyClientTests {
    /// Records the waits the client asks for, and waits them.
    final class Pauses: Sendable {
        let taken = Locked<[TimeInterval]>([])
        var pause: @Sendable (TimeInterval) async throws -> Void {
            { seconds in
                self.taken.withLock { $0.append(seconds) }
                try await Task.sleep(for: .seconds(seconds))
            }
        }
    }

    func source(_ fake: FakeShopify, credentials: ShopifyCredentials? = nil, pauses: Pauses = Pauses()) -> ShopifyOrderSource {
        let token = ShopifyAccessToken(
            http: .shared, base: fake.base, credentials: credentials ?? .clientCredentials(id: fake.clientId, secret: fake.clientSecret))
        // The bucket's clock moves only by the pauses taken (the fake's bucket is frozen too), so
        // a slow machine does not refill it between calls.
        let start = Date()
        let bucket = ShopifyCostBucket { start.addingTimeInterval(pauses.taken.withLock { $0.reduce(0, +) }) }
        return ShopifyOrderSource(
            store: 1, api: ShopifyGraphQL(http: .shared, base: fake.base, token: token, bucket: bucket, pause: pauses.pause), adminBase: fake.base)
    }

    @Test func everyLookupIsAValidQueryAndReadsTheCorpusOrders() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        let shop = source(fake)
        let byEmail = try await shop.orders(.email, "hanako.yamada@example.jp")
        #expect(byEmail.map(\.number) == ["#1042", "#1007"])
        let card = try #require(byEmail.first)
        #expect(card.customerName == "山田 花子" && card.payment == .paid && card.fulfilment == .fulfilled)
        #expect(card.lines.map(\.title) == ["リネンシャツ", "ソックス"])
        #expect(card.shipments.first?.status == .delivered)
        #expect(card.shipments.first?.tracking.first?.number == "123456789012")
        #expect(card.shippingAddress?.city == "渋谷区")
        #expect(card.total == Money(amount: "12800.0", currency: "JPY"))
        #expect(try await shop.orders(.number, "#1007").map(\.number) == ["#1007"])
        #expect(try await shop.orders(.phone, "+819012345678").map(\.number) == ["#1042", "#1007"])
        #expect(try await shop.order(id: "gid://shopify/Order/5829416312932")?.number == "#1042")
        #expect(try await shop.order(id: "gid://shopify/Order/1") == nil)
        let calls = try await fake.calls()
        #expect(calls.count == 6)
        for call in calls { #expect(call.errors == [], "\(call.operationName ?? "?"): \(call.errors ?? [])") }
        #expect(calls.allSatisfy { $0.path == "/admin/api/\(ShopifyAPI.version)/graphql.json" })
    }

    @Test func theTokenIsAskedForOnceAndRenewedWhenShopifyRefusesIt() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        let shop = source(fake)
        _ = try await shop.orders(.email, "hanako.yamada@example.jp")
        _ = try await shop.orders(.number, "#1042")
        #expect(try await fake.requests().filter { $0.grant != nil }.count == 1)
        // A day later Shopify no longer takes it: one refusal, a new token, the same call again.
        try await fake.expireTokens()
        #expect(try await shop.orders(.number, "#1042").count == 1)
        let requests = try await fake.requests()
        #expect(requests.filter { $0.grant != nil }.count == 2)
        #expect(requests.filter { $0.errors == ["unauthorized"] }.count == 1)
    }

    @Test func aStaticTokenShopifyRefusesIsASignInProblemInShopifysWords() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        let shop = source(fake, credentials: .accessToken("shpat_wrong"))
        await #expect {
            try await shop.orders(.email, "a@example.jp")
        } throws: { error in
            guard let e = error as? CommerceError else { return false }
            return e.kind == .signIn && e.message.contains("Invalid API key or access token")
        }
        #expect(try await fake.requests().filter { $0.grant != nil }.isEmpty)
    }

    @Test func aWrongClientSecretIsRefusedInShopifysWords() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        let shop = source(fake, credentials: .clientCredentials(id: "kotae-app", secret: "wrong"))
        await #expect {
            try await shop.orders(.email, "a@example.jp")
        } throws: { error in
            (error as? CommerceError)?.kind == .signIn && "\(error)".contains("invalid_client")
        }
    }

    @Test(arguments: [200, 429])
    func throttledIsWaitedOutThenTheBucketIsRespectedBeforeSending(status: Int) async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        // A nearly empty bucket that refills at 200 points a second.
        try await fake.bucket(maximum: 1000, restore: 200, available: 20, throttleStatus: status, frozen: true)
        let pauses = Pauses()
        let shop = source(fake, pauses: pauses)
        #expect(try await shop.orders(.email, "hanako.yamada@example.jp").count == 2)
        let first = try await fake.calls()
        #expect(first.count == 2 && first[0].throttled == true && first[1].throttled == nil)
        let cost = try #require(first[0].cost)
        // The wait Shopify's numbers call for: ceil((cost − 20) / 200) seconds.
        #expect(pauses.taken.withLock { $0 } == [((cost - 20) / 200).rounded(.up)])
        // The bucket is now near empty again: the next call waits before it is sent, and
        // Shopify never has to throttle it.
        #expect(try await shop.orders(.number, "#1042").count == 1)
        let all = try await fake.calls()
        #expect(all.count == 3 && all[2].throttled == nil)
        #expect(pauses.taken.withLock { $0.count } == 2)
    }

    @Test func aStoreThatKeepsThrottlingEndsInWordsNotALoop() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await fake.bucket(maximum: 1000, restore: 0.001, available: 0)
        let token = ShopifyAccessToken(http: .shared, base: fake.base, credentials: .accessToken(fake.staticToken))
        let api = ShopifyGraphQL(http: .shared, base: fake.base, token: token, throttleRetries: 2, pause: { _ in })
        await #expect {
            try await ShopifyOrderSource(store: 1, api: api, adminBase: nil).orders(.email, "a@example.jp")
        } throws: { error in
            "\(error)".contains("kept throttling")
        }
        #expect(try await fake.calls().count == 3)
    }
}
