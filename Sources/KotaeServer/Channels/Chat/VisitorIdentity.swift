import Crypto
import Foundation
import KotaeCore
import KotaeStore

/// Who a widget visitor is. An anonymous visitor gets a key and a token (the key signed by
/// Kotae) kept in their browser; a forged or altered token is refused. A shop's signed-in
/// customer comes with `hash`, the hex HMAC-SHA256 of `<id>:<email>` under the inbox's
/// identity secret, computed by the shop's server; their key is derived from the id, so
/// they see their conversations on every device.
struct VisitorIdentity: Sendable {
    private let key: SigningKey

    init(secret: String) {
        key = SigningKey(secret: secret, purpose: "kotae chat visitors v1")
    }

    /// A customer as the shop's site names them (`Kotae('setUser', …)`).
    struct SignedUser: Codable, Sendable, Equatable {
        var id: String
        var email: String?
        var name: String?
        var hash: String
    }

    /// A visitor the server has checked.
    struct Visitor: Sendable, Equatable {
        /// `a…` for an anonymous visitor, `u…` for a signed customer.
        let key: String
        /// The token the widget keeps (anonymous visitors only).
        let token: String?
        /// The contact identity their messages are written under.
        let identity: (channel: String, externalId: String)
        let name: String?
        /// A signed customer's email address, which ties them to their contact and orders.
        let verifiedEmail: String?

        static func == (a: Visitor, b: Visitor) -> Bool { a.key == b.key }
    }

    enum Refusal: Error, Equatable {
        case forgedToken, forgedUser, signInRequired, noSecret
    }

    /// A new anonymous visitor of `inbox`.
    func anonymous(inbox: ID) -> Visitor {
        let key = "a" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return Visitor(key: key, token: key + "." + sign("\(inbox):\(key)"), identity: ("chat", "\(inbox):\(key)"), name: nil, verifiedEmail: nil)
    }

    /// The anonymous visitor a token names, if Kotae signed it for this inbox.
    func visitor(token: String, inbox: ID) throws(Refusal) -> Visitor {
        let parts = token.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("a"), parts[0].count == 33, constantTimeEquals(sign("\(inbox):\(parts[0])"), parts[1]) else {
            throw .forgedToken
        }
        return Visitor(key: parts[0], token: token, identity: ("chat", "\(inbox):\(parts[0])"), name: nil, verifiedEmail: nil)
    }

    /// A shop's customer, if `user.hash` was made with the inbox's secret.
    static func visitor(user: SignedUser, inbox: ID, secret: String?) throws(Refusal) -> Visitor {
        guard let secret, !secret.isEmpty else { throw .noSecret }
        let email = user.email?.trimmingCharacters(in: .whitespaces).lowercased()
        let expected = Hex.encode(
            HMAC<SHA256>.authenticationCode(for: Data("\(user.id):\(user.email ?? "")".utf8), using: SymmetricKey(data: Data(secret.utf8))))
        guard !user.id.isEmpty, user.id.count <= 255, constantTimeEquals(expected, user.hash.lowercased()) else { throw .forgedUser }
        let digest = Hex.encode(SHA256.hash(data: Data("\(inbox):\(user.id)".utf8)))
        let key = "u" + digest.prefix(32)
        // With an address, the customer is the contact who has it (and their orders).
        let identity = email.map { (channel: "email", externalId: $0) } ?? (channel: "chat", externalId: "\(inbox):\(key)")
        return Visitor(key: key, token: nil, identity: identity, name: user.name, verifiedEmail: email)
    }

    private func sign(_ text: String) -> String {
        String(Hex.encode(key.mac(text)).prefix(32))
    }

    /// What lets a visitor upload a picture for a day: `<visitor>.<expiry>.<signature>`.
    func uploadToken(visitor: String, inbox: ID, now: Date) -> String {
        let exp = String(Int64(now.timeIntervalSince1970) + 86_400)
        return "\(visitor).\(exp).\(sign("upload:\(inbox):\(visitor):\(exp)"))"
    }

    /// The visitor an upload token names, if it is ours and unexpired.
    func uploader(token: String, inbox: ID, now: Date) -> String? {
        let p = token.split(separator: ".").map(String.init)
        guard p.count == 3, let exp = Double(p[1]), exp > now.timeIntervalSince1970,
            constantTimeEquals(sign("upload:\(inbox):\(p[0]):\(p[1])"), p[2])
        else { return nil }
        return p[0]
    }

    /// A file the visitor uploaded, as a token only that visitor can send: `<sha256>.<signature>`.
    func fileToken(_ file: Attachment, visitor: String) -> String {
        let name = Data(file.filename.utf8).base64EncodedString()
        return [
            file.sha256, file.contentType, String(file.size), name, sign("file:\(visitor):\(file.sha256):\(file.contentType):\(file.size):\(name)"),
        ]
        .joined(separator: ".")
    }

    /// The file a token names, if this visitor uploaded it.
    func file(token: String, visitor: String) -> Attachment? {
        let p = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard p.count == 5, let size = Int(p[2]), constantTimeEquals(sign("file:\(visitor):\(p[0]):\(p[1]):\(p[2]):\(p[3])"), p[4]),
            let nameData = Data(base64Encoded: p[3])
        else { return nil }
        return Attachment(sha256: p[0], filename: String(decoding: nameData, as: UTF8.self), contentType: p[1], size: size)
    }
}
