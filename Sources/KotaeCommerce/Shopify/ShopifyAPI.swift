import KotaeCore
import Foundation

/// The one place the Admin API version is written. Shopify serves each version for a year and
/// answers an older one as the oldest it still serves; moving this means checking every query
/// against the newer schema (the test fake validates them against the schema in the corpus).
/// 2026-01 is the first version with `@idempotent` on `refundCreate`, which 2026-04 requires.
public enum ShopifyAPI {
    public static let version = "2026-01"

    /// `https://example-shop.myshopify.com`, or a test's fake.
    static func graphQLURL(base: String) -> String { base + "/admin/api/\(version)/graphql.json" }
    static func tokenURL(base: String) -> String { base + "/admin/oauth/access_token" }

    /// The base URL of a shop from what an admin typed: `example-shop`, `example-shop.myshopify.com`
    /// or a full URL. nil for anything else.
    public static func base(shop: String) -> String? {
        let trimmed = shop.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") {
            guard let url = URL(string: trimmed), let host = url.host else { return nil }
            return "\(url.scheme ?? "https")://\(host)\(url.port.map { ":\($0)" } ?? "")"
        }
        let host = trimmed.contains(".") ? trimmed : trimmed + ".myshopify.com"
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }), !host.hasPrefix(".") else { return nil }
        return "https://" + host
    }
}

/// How a store's own app signs in: a client id and secret exchanged for a token that lasts
/// about a day (apps made in the Dev Dashboard since 2026), or a legacy `shpat_` token.
public enum ShopifyCredentials: Sendable, Equatable {
    case accessToken(String)
    case clientCredentials(id: String, secret: String)
}
