import AsyncHTTPClient
import Crypto
import Foundation
import KotaeCommerce
import KotaeCore
import KotaeStore
import NIOCore

/// The platform connection of each connected store, kept while its credentials stay the same:
/// a Shopify store's access token and cost bucket must outlive one request, or every sidebar
/// would ask for a new token and ignore what the last answer said of the bucket.
final class CommerceConnections: Sendable {
    let store: KotaeStore
    let http: HTTPClient
    /// How long the sidebar waits for a store before showing what the cache has.
    let lookupTimeout: Duration
    /// Each call to a platform gives up sooner than the sidebar, so a store that cannot be
    /// reached is said to be so, not merely slow.
    var callTimeout: Int64 { max(1, lookupTimeout.components.seconds - 1) }
    let rakutenBase: String
    let baseBase: String
    /// BASE's limits are per shop and per process here: one budget per store.
    private let budgets = Locked<[ID: BaseCallBudget]>([:])
    private let kept = Locked<[ID: (fingerprint: String, source: any OrderSource)]>([:])

    init(
        store: KotaeStore, http: HTTPClient, rakutenBase: String = RakutenRMS.defaultBase, baseBase: String = BaseAPI.defaultBase,
        lookupTimeout: Duration = .seconds(4)
    ) {
        self.store = store
        self.http = http
        self.rakutenBase = rakutenBase
        self.baseBase = baseBase
        self.lookupTimeout = lookupTimeout
    }

    /// The source for `commerceStore`, or nil when it cannot be asked (no credentials, or
    /// orders only saved from files).
    func source(for commerceStore: CommerceStore) async throws -> (any OrderSource)? {
        let credentials = try await store.commerceStores.credentials(id: commerceStore.id)
        switch commerceStore.platform {
        case .shopify:
            let settings = try ShopifyStoreSettings(stored: commerceStore.settings)
            guard let base = settings.shop.flatMap(ShopifyAPI.base(shop:)), let signIn = try ShopifyStoreCredentials(stored: credentials).signIn
            else { return nil }
            return keep(commerceStore.id, "\(base)|\(signIn)") {
                let timeout = TimeAmount.seconds(callTimeout)
                let api = ShopifyGraphQL(
                    http: http, base: base, token: ShopifyAccessToken(http: http, base: base, credentials: signIn, timeout: timeout), timeout: timeout
                )
                return ShopifyOrderSource(store: commerceStore.id, api: api, adminBase: base)
            }
        case .rakuten:
            let keys = try RakutenStoreCredentials(stored: credentials)
            guard keys.complete, let secret = keys.serviceSecret, let licence = keys.licenseKey else { return nil }
            return keep(commerceStore.id, "\(rakutenBase)|\(secret)|\(licence)") {
                RakutenOrderSource(
                    store: commerceStore.id,
                    rms: RakutenRMS(http: http, base: rakutenBase, serviceSecret: secret, licenseKey: licence, timeout: .seconds(callTimeout)))
            }
        case .base:
            let keys = try BaseStoreCredentials(stored: credentials)
            guard keys.complete, let id = keys.clientId, let secret = keys.clientSecret, let refresh = keys.refreshToken else { return nil }
            let budget = budgets.withLock { budgets in
                if let kept = budgets[commerceStore.id] { return kept }
                let made = BaseCallBudget()
                budgets[commerceStore.id] = made
                return made
            }
            let (store, storeId) = (store, commerceStore.id)
            // Not keyed by the refresh token: BASE replaces it, and the token kept here is the new one.
            return keep(commerceStore.id, "\(baseBase)|\(id)|\(secret)") {
                let token = BaseAccessToken(
                    http: http, base: baseBase, clientId: id, clientSecret: secret, refreshToken: refresh,
                    rotated: { next in try? await store.commerceStores.updateCredentials(id: storeId, ["refreshToken": next]) })
                return BaseOrderSource(
                    store: commerceStore.id, api: BaseAPI(http: http, base: baseBase, token: token, budget: budget, timeout: .seconds(callTimeout)))
            }
        case .file:
            return nil
        }
    }

    /// The kept source of `id` while `identity` (its address and credentials) is the same.
    private func keep(_ id: ID, _ identity: String, make: () -> any OrderSource) -> any OrderSource {
        // A digest, so no secret sits in a string someone might log.
        let fingerprint = SHA256.hash(data: Data(identity.utf8)).description
        return kept.withLock { kept in
            if let found = kept[id], found.fingerprint == fingerprint { return found.source }
            let made = make()
            kept[id] = (fingerprint, made)
            return made
        }
    }
}
