import Foundation
import KotaeCore

/// Facebook Page webhooks (Messenger and the Page feed) in the Graph envelope
/// `{"object":"page","entry":[{"id", "time", "messaging":[...], "changes":[...]}]}`.
/// The signature is `X-Hub-Signature-256: sha256=<hex HMAC of the raw body with the app secret>`.
public enum GraphWebhook {
    /// Facebook Pages and Instagram accounts share the envelope; ids, threads and the
    /// comment-reply edge differ.
    public struct Platform: Sendable, Equatable {
        /// Identity kind of a person (`facebook`, `instagram`).
        public let channel: String
        /// Namespace of platform ids in Kotae (`fb`, `ig`): `fb:m:<mid>`, `ig:c:<comment id>`.
        public let prefix: String
        /// Thread key prefix of a person's private messages.
        public let dmThread: String
        /// The Graph edge that answers a comment in public.
        public let replyEdge: String

        public static let facebook = Platform(channel: "facebook", prefix: "fb", dmThread: "messenger", replyEdge: "comments")
        public static let instagram = Platform(channel: "instagram", prefix: "ig", dmThread: "igdm", replyEdge: "replies")
        public var message: String { prefix + ":m:" }
        public var comment: String { prefix + ":c:" }
    }

    public static func verify(signature: String?, appSecret: String, body: some DataProtocol) -> Bool {
        WebhookSignature.verify(header: signature, secret: appSecret, body: body)
    }

    /// The subscription handshake: the challenge to echo when the token matches, else nil.
    public static func challenge(mode: String?, token: String?, challenge: String?, expectedToken: String) -> String? {
        guard mode == "subscribe", let token, let challenge, !expectedToken.isEmpty else { return nil }
        return constantTimeEquals(token, expectedToken) ? challenge : nil
    }

    public enum Item: Sendable, Equatable {
        /// A customer's private message (text, attachments as URLs to fetch, quick reply, postback).
        case message(InboundMessage, fileURLs: [String])
        /// A message the Page sent from another tool (or Kotae itself): stored once, as outbound.
        case echo(psid: String, mid: String, text: String, at: Date)
        /// The customer read everything sent before `watermark`.
        case read(psid: String, watermark: Date)
        /// A public comment or visitor post, added (with a photo's link, if it has one).
        case comment(InboundMessage, fileURLs: [String])
        /// A comment edited or removed by its author: recorded, never erased.
        case commentChanged(commentId: String, verb: String, text: String?, at: Date)
        case ignored(String)
    }

    struct Body: Decodable {
        let object: String
        let entry: [Entry]
    }
    struct Entry: Decodable {
        let id: String
        let messaging: [Messaging]?
        let changes: [Change]?
    }
    struct Party: Decodable { let id: String; let name: String?; let username: String? }
    struct Messaging: Decodable {
        struct Message: Decodable {
            struct Attachment: Decodable {
                struct Payload: Decodable { let url: String? }
                let type: String
                let payload: Payload?
            }
            struct QuickReply: Decodable { let payload: String }
            let mid: String
            let text: String?
            let is_echo: Bool?
            let attachments: [Attachment]?
            let quick_reply: QuickReply?
        }
        struct Postback: Decodable { let mid: String?; let title: String?; let payload: String? }
        struct Read: Decodable { let watermark: Double }
        let sender: Party
        let recipient: Party
        let timestamp: Double
        let message: Message?
        let postback: Postback?
        let read: Read?
    }
    struct Change: Decodable {
        struct Value: Decodable {
            struct Media: Decodable { let id: String }
            let from: Party?
            let id: String?
            let text: String?
            let media: Media?
            let item: String?
            let verb: String?
            let comment_id: String?
            let post_id: String?
            let parent_id: String?
            let message: String?
            let photo: String?
            let created_time: Double?
        }
        let field: String
        let value: Value
    }

    public struct BadBody: Error, CustomStringConvertible { public let description: String }

    public static func items(from body: Data) throws -> [Item] {
        let decoded: Body
        do { decoded = try JSONDecoder().decode(Body.self, from: body) } catch {
            throw BadBody(description: "not a Graph webhook body: \(error)")
        }
        let platform: Platform
        switch decoded.object {
        case "page": platform = .facebook
        case "instagram": platform = .instagram
        default: return [.ignored(decoded.object)]
        }
        var items: [Item] = []
        for entry in decoded.entry {
            for m in entry.messaging ?? [] { items.append(item(m, pageId: entry.id, platform)) }
            for c in entry.changes ?? [] { items.append(item(c, pageId: entry.id, platform)) }
        }
        return items
    }

    static func item(_ e: Messaging, pageId: String, _ p: Platform) -> Item {
        let at = Date(timeIntervalSince1970: e.timestamp / 1000)
        if let m = e.message {
            if m.is_echo == true { return .echo(psid: e.recipient.id, mid: m.mid, text: m.text ?? "", at: at) }
            var text = m.text ?? ""
            if let q = m.quick_reply { text += text.isEmpty ? "[quick reply: \(q.payload)]" : " [quick reply: \(q.payload)]" }
            let urls = (m.attachments ?? []).compactMap { $0.payload?.url }
            let kinds = (m.attachments ?? []).filter { $0.payload?.url == nil }.map { "[\($0.type)]" }
            if text.isEmpty && !kinds.isEmpty { text = kinds.joined(separator: " ") }
            return .message(InboundMessage(identity: (p.channel, e.sender.id), externalId: p.message + m.mid,
                                           threadKey: p.dmThread + ":" + e.sender.id, text: text, sentAt: at), fileURLs: urls)
        }
        if let b = e.postback {
            let id = b.mid ?? "\(e.sender.id):\(Int64(e.timestamp))"
            return .message(InboundMessage(identity: (p.channel, e.sender.id), externalId: p.prefix + ":pb:" + id,
                                           threadKey: p.dmThread + ":" + e.sender.id,
                                           text: "postback: " + (b.title ?? "") + (b.payload.map { " (\($0))" } ?? ""), sentAt: at), fileURLs: [])
        }
        if let r = e.read { return .read(psid: e.sender.id, watermark: Date(timeIntervalSince1970: r.watermark / 1000)) }
        return .ignored("messaging")
    }

    static func item(_ c: Change, pageId: String, _ p: Platform) -> Item {
        let v = c.value
        // Instagram: a comment (or a reply to one) on the account's media. No edit or remove verbs.
        if c.field == "comments", let from = v.from, let id = v.id {
            if from.id == pageId { return .ignored("own comment") }
            let at = Date(timeIntervalSince1970: v.created_time ?? Date().timeIntervalSince1970)
            return .comment(InboundMessage(identity: (p.channel, from.id), contactName: from.username ?? from.name, externalId: p.comment + id,
                                           threadKey: "comments:" + from.id, text: v.text ?? "", isPublic: true, sentAt: at), fileURLs: [])
        }
        guard c.field == "feed", let item = v.item, item == "comment" || item == "post" || item == "status" || item == "photo",
              let from = v.from else { return .ignored(c.field) }
        // The page's own comments (Kotae's public replies among them) are not customers'.
        if from.id == pageId { return .ignored("own comment") }
        let at = Date(timeIntervalSince1970: v.created_time ?? Date().timeIntervalSince1970)
        let id = v.comment_id ?? v.post_id ?? ""
        switch v.verb {
        case "add":
            // Each person's comments are one public conversation tied to them.
            let message = InboundMessage(identity: (p.channel, from.id), contactName: from.name, externalId: p.comment + id,
                                         threadKey: "comments:" + from.id, text: v.message ?? "", isPublic: true, sentAt: at)
            return .comment(message, fileURLs: v.photo.map { [$0] } ?? [])
        case "edited", "remove", "hide", "unhide":
            return .commentChanged(commentId: id, verb: v.verb ?? "", text: v.message, at: at)
        default:
            return .ignored("feed." + (v.verb ?? ""))
        }
    }
}
