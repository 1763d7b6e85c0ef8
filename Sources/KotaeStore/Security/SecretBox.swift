import Crypto
import Foundation
import KotaeCore

/// Encrypts platform credentials at rest with AES-GCM. The key is derived from the
/// server's secret key (KOTAE_SECRET_KEY), so a copied database alone reveals nothing.
public struct SecretBox: Sendable {
    /// Key bytes; SymmetricKey itself is not Sendable in this swift-crypto.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(secret: String) {
        // HKDF keeps the AES key separate from other uses of the same secret.
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("kotae credentials v1".utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Data($0) }
    }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw DatabaseError("AES-GCM gave no combined box") }
        return "v1:" + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw DatabaseError("credentials are not in the v1 sealed format")
        }
        let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: key)
        return String(decoding: plain, as: UTF8.self)
    }
}

/// Hashes of bearer secrets (session and API tokens): the database holds only these.
public enum TokenHash {
    public static func of(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Array(token.utf8)))
    }

    /// A random URL-safe token with 256 bits of entropy.
    public static func newToken(prefix: String = "") -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return prefix
            + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
