import Foundation
import KotaeCore

/// LINE Messaging API webhooks: `x-line-signature` is base64(HMAC-SHA256(channel secret, raw body)),
/// the body `{"destination", "events": [...]}`. Each event becomes an `LINEWebhook.Item` for the core.
public enum LINEWebhook {
    /// Checks the signature over the raw bytes, in constant time.
    public static func verify(signature: String?, channelSecret: String, body: some DataProtocol) -> Bool {
        WebhookSignature.verifyBase64(header: signature, secret: channelSecret, body: body)
    }

    /// The signature LINE would send for `body` (tests, the webhook benchmark).
    public static func sign(body: some DataProtocol, channelSecret: String) -> String {
        WebhookSignature.hmac(secret: channelSecret, body: body).base64EncodedString()
    }

    /// What one webhook event means for the desk.
    public enum Item: Sendable, Equatable {
        /// A customer's message. `contentId`: LINE's id of an image, video, audio or file
        /// whose bytes are fetched afterwards; `replyToken`: usable for a short while.
        case message(InboundMessage, contentId: String?, replyToken: String?)
        /// Added or blocked the shop's account (友だち追加 / ブロック).
        case follow(userId: String, followed: Bool, eventId: String, at: Date)
        /// The customer unsent a message (送信取消): recorded on it, never erased.
        case unsent(messageId: String, at: Date)
        /// An event Kotae could not read: kept as it came, so nothing is lost.
        case unreadable(json: String, reason: String)
        /// Nothing for an agent (a beacon, a group join, an event type we do not know).
        case ignored(type: String)
    }

    struct Body: Decodable {
        let destination: String?
        let events: [Lenient<Event>]
    }

    struct Event: Decodable {
        struct Source: Decodable {
            let type: String
            let userId: String?
            let groupId: String?
            let roomId: String?
        }
        struct Message: Decodable {
            let type: String
            let id: String
            let text: String?
            let fileName: String?
            let title: String?
            let address: String?
            let latitude: Double?
            let longitude: Double?
            let packageId: String?
            let stickerId: String?
            let keywords: [String]?
        }
        struct Postback: Decodable {
            let data: String
            let params: [String: String]?
        }
        let type: String
        let timestamp: Double
        let source: Source?
        let webhookEventId: String?
        let replyToken: String?
        let message: Message?
        let postback: Postback?
        let unsend: Unsend?
        struct Unsend: Decodable { let messageId: String }
    }

    public struct BadBody: Error, CustomStringConvertible {
        public let description: String
    }

    /// The events of a verified body, in order. A body that is not LINE's shape throws.
    public static func items(from body: Data) throws -> [Item] {
        let decoded: Body
        do { decoded = try JSONDecoder().decode(Body.self, from: body) } catch {
            throw BadBody(description: "not a LINE webhook body: \(error)")
        }
        return decoded.events.map { $0.item(item) }
    }

    static func item(_ e: Event) -> Item {
        let (at, note) = PlatformTime.fromMilliseconds(e.timestamp)
        // In a group or room without the member's consent LINE leaves out userId: the group speaks.
        guard let source = e.source, let userId = source.userId ?? source.groupId ?? source.roomId else { return .ignored(type: e.type) }
        // A group or room is one conversation with many speakers; a person alone is their own thread.
        let thread: String? = source.groupId.map(ThreadKind.lineGroup.key) ?? source.roomId.map(ThreadKind.lineRoom.key)
        switch e.type {
        case "message":
            guard let m = e.message else { return .ignored(type: e.type) }
            let (text, content) = describe(m)
            let inbound = InboundMessage(
                identity: ("line", userId), externalId: ExternalIDKind.line.id(m.id), threadKey: thread,
                text: text, sentAt: at, timeNote: note)
            return .message(inbound, contentId: content, replyToken: e.replyToken)
        case "postback":
            guard let p = e.postback else { return .ignored(type: e.type) }
            // The customer tapped a button: an action that waits for the shop like a message.
            var text = "postback: " + p.data
            if let params = p.params, !params.isEmpty {
                text += " (" + params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
            }
            let id = e.webhookEventId ?? "\(userId):\(PlatformTime.integerKey(e.timestamp))"
            return .message(
                InboundMessage(
                    identity: ("line", userId), externalId: ExternalIDKind.linePostback.id(id), threadKey: thread,
                    text: text, sentAt: at, timeNote: note), contentId: nil, replyToken: e.replyToken)
        case "unsend":
            guard let u = e.unsend else { return .ignored(type: e.type) }
            return .unsent(messageId: u.messageId, at: at)
        case "follow", "unfollow":
            return .follow(
                userId: userId, followed: e.type == "follow", eventId: e.webhookEventId ?? "\(userId):\(PlatformTime.integerKey(e.timestamp))", at: at
            )
        default:
            return .ignored(type: e.type)
        }
    }

    /// The text an agent reads for each kind of message, and the id of bytes to fetch.
    static func describe(_ m: Event.Message) -> (String, String?) {
        switch m.type {
        case "text": return (m.text ?? "", nil)
        case "image": return ("", m.id)
        case "video": return ("", m.id)
        case "audio": return ("", m.id)
        case "file": return (m.fileName ?? "", m.id)
        case "location":
            var parts = [m.title, m.address].compactMap { $0 }.filter { !$0.isEmpty }
            if let lat = m.latitude, let lon = m.longitude { parts.append("(\(lat), \(lon))") }
            return ("📍 " + parts.joined(separator: " "), nil)
        case "sticker":
            let words = (m.keywords ?? []).prefix(3).joined(separator: ", ")
            return ("[sticker \(m.packageId ?? "?")/\(m.stickerId ?? "?")\(words.isEmpty ? "" : ": " + words)]", nil)
        default:
            return ("[\(m.type)]", nil)
        }
    }
}

extension LINEWebhook.Item: KeepsUnreadable {}
