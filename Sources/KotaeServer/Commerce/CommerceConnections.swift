import AsyncHTTPClient
import Crypto
import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore

/// The platform connection of each connected store, kept while its credentials stay the same:
/// a Shopify store's access token and cost bucket must outlive one request, or every sidebar
/// would ask for a new token and ignore what the last answer said of the bucket.
final class CommerceConnections: Sendable {
    let store: KotaeStore
    let http: HTTPClient
    /// How long the sidebar waits for a store before showing what the cache has.
    let lookupTimeout: Duration
    private let shopify = Locked<[ID: (fingerprint: String, source: ShopifyOrderSource)]>([:])

    init(store: KotaeStore, http: HTTPClient, lookupTimeout: Duration = .seconds(4)) {
        self.store = store
        self.http = http
        self.lookupTimeout = lookupTimeout
    }

    /// The source for `commerceStore`, or nil when it cannot be asked (no credentials, or a
    /// platform read only from files).
    func source(for commerceStore: CommerceStore) async throws -> (any OrderSource)? {
        switch commerceStore.platform {
        case .shopify:
            let settings = try ShopifyStoreSettings(stored: commerceStore.settings)
            let credentials = try ShopifyStoreCredentials(stored: try await store.commerceStores.credentials(id: commerceStore.id))
            guard let base = settings.shop.flatMap(ShopifyAPI.base(shop:)), let signIn = credentials.signIn else { return nil }
            // A digest, so no secret sits in a string someone might log.
            let fingerprint = SHA256.hash(data: Data("\(base)|\(signIn)".utf8)).description
            if let kept = shopify.withLock({ $0[commerceStore.id] }), kept.fingerprint == fingerprint { return kept.source }
            let seconds = Int64(lookupTimeout.components.seconds)
            let api = ShopifyGraphQL(
                http: http, base: base, token: ShopifyAccessToken(http: http, base: base, credentials: signIn), timeout: .seconds(max(1, seconds)))
            let source = ShopifyOrderSource(store: commerceStore.id, api: api, adminBase: base)
            shopify.withLock { $0[commerceStore.id] = (fingerprint, source) }
            return source
        case .rakuten, .base, .file:
            return nil
        }
    }
}
