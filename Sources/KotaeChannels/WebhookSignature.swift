import Crypto
import Foundation
import KotaeCore

/// HMAC-SHA256 signatures over raw bodies, as webhooks send them.
public enum WebhookSignature {
    public static func hmacSHA256Hex(secret: String, body: some DataProtocol) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.encode(mac)
    }

    /// Checks `sha256=<hex>` against the body in constant time.
    public static func verify(header: String?, secret: String, body: some DataProtocol, prefix: String = "sha256=") -> Bool {
        guard let header, header.hasPrefix(prefix) else { return false }
        let expected = Array(hmacSHA256Hex(secret: secret, body: body).utf8)
        let given = Array(header.dropFirst(prefix.count).lowercased().utf8)
        guard expected.count == given.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ given[i] }
        return diff == 0
    }
}
