import Crypto
import Foundation

/// A key of its own for one use of the server's secret (HKDF-SHA256 with the use's name), for
/// the signatures Kotae checks later: links, tokens, stamps. A signature made for one use
/// never passes for another.
public struct SigningKey: Sendable {
    /// Key bytes; SymmetricKey itself is not Sendable in this swift-crypto.
    private let bytes: Data

    public init(secret: String, purpose: String) {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data(purpose.utf8), outputByteCount: 32)
        bytes = key.withUnsafeBytes { Data($0) }
    }

    /// The HMAC-SHA256 of `text`.
    public func mac(_ text: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes)))
    }
}
