import KotaeCommerce
import KotaeCore

/// A Shopify store: the shop and how its orders are named (Settings › General › Order ID format).
struct ShopifyStoreSettings: ChannelFieldSet {
    /// `example-shop`, `example-shop.myshopify.com`.
    var shop: String?
    /// `#` unless the shop changed it.
    var orderPrefix: String?
    var orderSuffix: String?
    /// "true": the app has `read_all_orders`, so Shopify shows orders older than 60 days.
    var allOrders: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case shop, orderPrefix, orderSuffix, allOrders }

    static func kind(of key: CodingKeys) -> ChannelField.Kind { key == .allOrders ? .flag : .text }

    func problems() -> [FieldProblem] {
        guard let shop, !shop.isEmpty else { return [FieldProblem(key: "shop", message: "the shop's address is required")] }
        return ShopifyAPI.base(shop: shop) == nil
            ? [FieldProblem(key: "shop", message: "not a shop address: write example-shop.myshopify.com")] : []
    }

    /// How far back Shopify shows this store's orders, when it limits that.
    var visibleDays: Int? { allOrders == "true" ? nil : 60 }
}

/// The store's own app (Dev Dashboard): client id and secret, or a legacy `shpat_` token with
/// its webhook secret. The client secret also signs the webhooks.
struct ShopifyStoreCredentials: ChannelFieldSet {
    var clientId: String?
    var clientSecret: String?
    var accessToken: String?
    /// Only for a legacy app whose webhooks are signed with another secret.
    var webhookSecret: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case clientId, clientSecret, accessToken, webhookSecret }

    static func kind(of key: CodingKeys) -> ChannelField.Kind { key == .clientId ? .text : .secret }

    var signIn: ShopifyCredentials? {
        if let clientId, let clientSecret, !clientId.isEmpty, !clientSecret.isEmpty { return .clientCredentials(id: clientId, secret: clientSecret) }
        if let accessToken, !accessToken.isEmpty { return .accessToken(accessToken) }
        return nil
    }

    var signingSecret: String? { [webhookSecret, clientSecret].compactMap { $0 }.first { !$0.isEmpty } }
}
