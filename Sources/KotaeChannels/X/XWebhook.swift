import Foundation
import KotaeCore

/// X Account Activity webhooks: the CRC check (GET `crc_token`), and events (POST) signed
/// `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`.
public enum XWebhook {
    /// The CRC answer: `{"response_token":"sha256=<base64 HMAC of the token>"}`.
    public static func crcResponse(token: String, consumerSecret: String) -> String {
        "sha256=" + WebhookSignature.hmac(secret: consumerSecret, body: Data(token.utf8)).base64EncodedString()
    }

    public static func sign(body: some DataProtocol, consumerSecret: String) -> String {
        "sha256=" + WebhookSignature.hmac(secret: consumerSecret, body: body).base64EncodedString()
    }

    public static func verify(signature: String?, consumerSecret: String, body: some DataProtocol) -> Bool {
        WebhookSignature.verifyBase64(header: signature, secret: consumerSecret, body: body, prefix: "sha256=")
    }

    public enum Item: Sendable, Equatable {
        /// A mention or reply to the account (public) or a DM (private).
        case message(InboundMessage)
        /// Something the account itself posted or sent: not a customer's.
        case own(String)
        case ignored(String)
    }

    struct Body: Decodable {
        struct Tweet: Decodable {
            struct User: Decodable { let id_str: String; let name: String?; let screen_name: String? }
            let id_str: String
            let text: String?
            let full_text: String?
            let user: User
            let timestamp_ms: String?
            let retweeted_status: RetweetMarker?
        }
        struct RetweetMarker: Decodable { let id_str: String? }
        struct DM: Decodable {
            struct Create: Decodable {
                struct Target: Decodable { let recipient_id: String }
                struct Data: Decodable { let text: String? }
                let target: Target
                let sender_id: String
                let message_data: Data
            }
            let type: String
            let id: String
            let created_timestamp: String?
            let message_create: Create?
        }
        struct User: Decodable { let name: String?; let screen_name: String? }
        let for_user_id: String
        let tweet_create_events: [Tweet]?
        let direct_message_events: [DM]?
        let users: [String: User]?
    }

    public struct BadBody: Error, CustomStringConvertible { public let description: String }

    public static func items(from body: Data) throws -> [Item] {
        let b: Body
        do { b = try JSONDecoder().decode(Body.self, from: body) } catch { throw BadBody(description: "not an Account Activity body: \(error)") }
        var items: [Item] = []
        for t in b.tweet_create_events ?? [] {
            if t.user.id_str == b.for_user_id { items.append(.own(t.id_str)); continue }
            if t.retweeted_status != nil { items.append(.ignored("retweet")); continue }
            let at = t.timestamp_ms.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) } ?? Date()
            items.append(.message(InboundMessage(identity: ("x", t.user.id_str), contactName: t.user.screen_name.map { "@" + $0 } ?? t.user.name,
                                                 externalId: "x:t:" + t.id_str, threadKey: "mentions:" + t.user.id_str,
                                                 text: t.full_text ?? t.text ?? "", isPublic: true, sentAt: at)))
        }
        for e in b.direct_message_events ?? [] {
            guard e.type == "message_create", let m = e.message_create else { items.append(.ignored(e.type)); continue }
            if m.sender_id == b.for_user_id { items.append(.own(e.id)); continue }
            let at = e.created_timestamp.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) } ?? Date()
            let user = b.users?[m.sender_id]
            items.append(.message(InboundMessage(identity: ("x", m.sender_id), contactName: user?.screen_name.map { "@" + $0 } ?? user?.name,
                                                 externalId: "x:dm:" + e.id, threadKey: "xdm:" + m.sender_id,
                                                 text: m.message_data.text ?? "", sentAt: at)))
        }
        return items
    }
}
