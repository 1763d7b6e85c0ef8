import Crypto
import Foundation
import KotaeCore

/// HMAC-SHA256 signatures over raw bodies, as webhooks send them. Platforms differ only in
/// how they write the code: lowercase hex (Meta, Kotae's own), base64 (LINE, X), and a prefix.
public enum WebhookSignature {
    public static func hmac(secret: String, body: some DataProtocol) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    public static func hmacSHA256Hex(secret: String, body: some DataProtocol) -> String {
        Hex.encode(hmac(secret: secret, body: body))
    }

    /// Checks `sha256=<hex>` against the body in constant time.
    public static func verify(header: String?, secret: String, body: some DataProtocol, prefix: String = "sha256=") -> Bool {
        guard let header, header.hasPrefix(prefix) else { return false }
        return constantTimeEquals(Array(hmacSHA256Hex(secret: secret, body: body).utf8), Array(header.dropFirst(prefix.count).lowercased().utf8))
    }

    /// Checks `<prefix><base64>` against the body in constant time.
    public static func verifyBase64(header: String?, secret: String, body: some DataProtocol, prefix: String = "") -> Bool {
        guard let header, header.hasPrefix(prefix), let given = Data(base64Encoded: String(header.dropFirst(prefix.count))) else { return false }
        return constantTimeEquals(given, hmac(secret: secret, body: body))
    }
}
