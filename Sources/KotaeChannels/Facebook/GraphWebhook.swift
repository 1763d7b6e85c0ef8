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
        /// A private message, a button press and a public comment, as Kotae stores their ids.
        public let message: ExternalIDKind
        public let postback: ExternalIDKind
        public let comment: ExternalIDKind
        /// A person's private messages.
        public let dmThread: ThreadKind
        /// The Graph edge that answers a comment in public.
        public let replyEdge: String

        public static let facebook = Platform(
            channel: "facebook", message: .messengerMessage, postback: .messengerPostback,
            comment: .facebookComment, dmThread: .messenger, replyEdge: "comments")
        public static let instagram = Platform(
            channel: "instagram", message: .instagramMessage, postback: .instagramPostback,
            comment: .instagramComment, dmThread: .instagramDirect, replyEdge: "replies")
        /// Instagram: a comment (`…c:<comment id>`) or caption (`…m:<media id>`) on someone
        /// else's media that @mentions the account.
        public var mention: ExternalIDKind { .instagramMention }
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
        /// What the page sent, from Kotae, the page's own inbox or another app. `appId` names
        /// the app that sent it (Messenger's `app_id`); nil when the platform does not say.
        case echo(psid: String, mid: String, text: String, at: Date, appId: String?)
        /// The page answered a comment from another tool (or Kotae itself): stored once, as a
        /// sent public reply in the conversation of the comment it answers.
        case pageReply(commentId: String, parentId: String, text: String, at: Date)
        /// The customer read everything sent before `watermark`.
        case read(psid: String, watermark: Date)
        /// A public comment or visitor post, added (with a photo's link, if it has one).
        case comment(InboundMessage, fileURLs: [String])
        /// A comment edited or removed by its author: recorded, never erased.
        case commentChanged(commentId: String, verb: String, text: String?, at: Date)
        /// The customer unsent a private message (Instagram `is_deleted`): recorded, never erased.
        case unsent(mid: String, at: Date)
        /// Instagram: someone @mentioned the account in a comment (`commentId`) or in the caption
        /// of their own media. The webhook carries only ids; the text is fetched afterwards.
        case mention(mediaId: String, commentId: String?, at: Date)
        /// Meta restricted the page's messaging (`policy-enforcement`): admins must know.
        case policy(action: String, reason: String)
        /// An event Kotae could not read: kept as it came, so nothing is lost.
        case unreadable(json: String, reason: String)
        case ignored(String)
    }

    struct Body: Decodable {
        let object: String
        let entry: [Lenient<Entry>]
    }
    struct Entry: Decodable {
        let id: String
        let time: Double?
        let messaging: [Lenient<Messaging>]?
        /// Messages that arrive while another app owns the thread (handover protocol):
        /// still the customer's words.
        let standby: [Lenient<Messaging>]?
        let changes: [Lenient<Change>]?

        /// Meta sends entry times in seconds for feed changes and milliseconds for messaging.
        var date: Date? { time.flatMap { $0 > 1e11 ? PlatformTime.milliseconds($0) : PlatformTime.seconds($0) } }
    }
    struct Party: Decodable { let id: String; let name: String?; let username: String? }
    struct Messaging: Decodable {
        struct Message: Decodable {
            struct Attachment: Decodable {
                struct Payload: Decodable {
                    struct Coordinates: Decodable { let lat: Double; let long: Double }
                    let url: String?
                    let coordinates: Coordinates?
                }
                let type: String
                let payload: Payload?
                /// A shared link (`fallback`) carries its address and title here.
                let url: String?
                let title: String?
            }
            struct QuickReply: Decodable { let payload: String }
            struct ReplyTo: Decodable {
                struct Story: Decodable { let url: String?; let id: String? }
                let story: Story?
            }
            let mid: String
            let text: String?
            let is_echo: Bool?
            /// A number in Meta's payloads; read as text either way.
            let app_id: LenientID?
            let is_deleted: Bool?
            let attachments: [Attachment]?
            let quick_reply: QuickReply?
            let reply_to: ReplyTo?
        }
        struct Postback: Decodable { let mid: String?; let title: String?; let payload: String? }
        /// Messenger reads carry a watermark; Instagram's `messaging_seen` names the message.
        struct Read: Decodable { let watermark: Double?; let mid: String? }
        struct Policy: Decodable { let action: String?; let reason: String? }
        let sender: Party?
        let recipient: Party?
        let timestamp: Double?
        let message: Message?
        let postback: Postback?
        let read: Read?
        let policy: Policy?

        enum CodingKeys: String, CodingKey {
            case sender, recipient, timestamp, message, postback, read
            case policy = "policy-enforcement"
        }
    }
    struct Change: Decodable {
        struct Value: Decodable {
            struct Media: Decodable { let id: String }
            struct Post: Decodable { let permalink_url: String? }
            let from: Party?
            let post: Post?
            let id: String?
            let text: String?
            let media: Media?
            let item: String?
            let verb: String?
            let comment_id: String?
            let media_id: String?
            let post_id: String?
            let parent_id: String?
            let message: String?
            let photo: String?
            let created_time: Double?
        }
        let field: String
        let value: Value

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            field = try c.decode(String.self, forKey: .field)
            value = try c.decode(Value.self, forKey: .value)
            // A comment or post whose author Meta withheld (`from` missing, e.g. without the
            // permission to read it) is still someone's words: kept as unreadable, not dropped.
            if field == "feed", value.verb == "add", value.from == nil,
                ["comment", "post", "status", "photo"].contains(value.item ?? "")
            {
                throw DecodingError.dataCorruptedError(
                    forKey: .value, in: c,
                    debugDescription: "a Page feed \(value.item ?? "") without its author (from): Meta did not say who wrote it")
            }
        }

        enum CodingKeys: String, CodingKey { case field, value }
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
        return decoded.entry.flatMap {
            $0.items { entry in
                ((entry.messaging ?? []) + (entry.standby ?? [])).map { $0.item { item($0, pageId: entry.id, platform) } }
                    + (entry.changes ?? []).map { $0.item { item($0, pageId: entry.id, at: entry.date, platform) } }
            }
        }
    }

    static func item(_ e: Messaging, pageId: String, _ p: Platform) -> Item {
        if let policy = e.policy {
            return .policy(action: policy.action ?? "", reason: policy.reason ?? "")
        }
        guard let sender = e.sender, let recipient = e.recipient, let timestamp = e.timestamp else { return .ignored("messaging") }
        let (at, note) = PlatformTime.fromMilliseconds(timestamp)
        if let m = e.message {
            if m.is_deleted == true { return .unsent(mid: m.mid, at: at) }
            let (text, urls) = content(m)
            if m.is_echo == true { return .echo(psid: recipient.id, mid: m.mid, text: text, at: at, appId: m.app_id?.value) }
            return .message(
                InboundMessage(
                    identity: (p.channel, sender.id), externalId: p.message.id(m.mid),
                    threadKey: p.dmThread.key(sender.id), text: text, sentAt: at, timeNote: note), fileURLs: urls)
        }
        if let b = e.postback {
            let id = b.mid ?? "\(sender.id):\(PlatformTime.integerKey(timestamp))"
            return .message(
                InboundMessage(
                    identity: (p.channel, sender.id), externalId: p.postback.id(id),
                    threadKey: p.dmThread.key(sender.id),
                    text: "postback: " + (b.title ?? "") + (b.payload.map { " (\($0))" } ?? ""), sentAt: at,
                    timeNote: note), fileURLs: [])
        }
        if let r = e.read {
            return .read(psid: sender.id, watermark: PlatformTime.checked(PlatformTime.milliseconds(r.watermark ?? timestamp) ?? at).date)
        }
        return .ignored("messaging")
    }

    /// A message's text as the agent reads it, and the links of files to fetch. Kinds with
    /// nothing to show are named in brackets (`[sticker]`); a reply to an Instagram story says
    /// so and keeps the story's picture, which the platform deletes after a day.
    static func content(_ m: Messaging.Message) -> (text: String, fileURLs: [String]) {
        var text = m.text ?? ""
        if let q = m.quick_reply { text += (text.isEmpty ? "" : " ") + "[quick reply: \(q.payload)]" }
        var urls: [String] = []
        var notes: [String] = []
        if let story = m.reply_to?.story {
            notes.append("[story reply]")
            if let url = story.url { urls.append(url) }
        }
        for a in m.attachments ?? [] {
            if a.type == "fallback" || a.type == "share" {
                let link = [a.title, a.url ?? a.payload?.url].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                notes.append(link.isEmpty ? "[\(a.type)]" : link)
            } else if let c = a.payload?.coordinates {
                notes.append((["[location]", a.title].compactMap { $0 } + ["\(c.lat), \(c.long)"]).joined(separator: " "))
            } else if let url = a.payload?.url {
                urls.append(url)
                if a.type == "story_mention" { notes.append("[story mention]") }
            } else if text.isEmpty {
                notes.append("[\(a.type)]")
            }
        }
        if !notes.isEmpty { text = (notes + (text.isEmpty ? [] : [text])).joined(separator: " ") }
        return (text, urls)
    }

    /// A link from a payload, kept only when it is an https address.
    static func httpsURL(_ s: String) -> String? { s.hasPrefix("https://") ? s : nil }

    static func item(_ c: Change, pageId: String, at entryTime: Date?, _ p: Platform) -> Item {
        let v = c.value
        let (at, note) = v.created_time.map { PlatformTime.fromSeconds($0) } ?? PlatformTime.checked(entryTime ?? Date())
        // Instagram: a comment (or a reply to one) on the account's media. No edit or remove verbs.
        if c.field == "comments", let from = v.from, let id = v.id {
            if from.id == pageId {
                guard let parent = v.parent_id else { return .ignored("own comment") }
                return .pageReply(commentId: id, parentId: parent, text: v.text ?? "", at: at)
            }
            return .comment(
                InboundMessage(
                    identity: (p.channel, from.id), contactName: from.username ?? from.name, externalId: p.comment.id(id),
                    threadKey: ThreadKind.comments.key(from.id), text: v.text ?? "", isPublic: true, sentAt: at,
                    timeNote: note), fileURLs: [])
        }
        if c.field == "mentions", let media = v.media_id {
            return .mention(mediaId: media, commentId: v.comment_id, at: at)
        }
        guard c.field == "feed", let item = v.item, item == "comment" || item == "post" || item == "status" || item == "photo",
            let from = v.from
        else { return .ignored(c.field) }
        let id = v.comment_id ?? v.post_id ?? ""
        // The page's own comments are not customers': an answer under one (Kotae's public
        // replies among them) is the shop's reply.
        if from.id == pageId {
            guard v.verb == "add", item == "comment", let parent = v.parent_id, !id.isEmpty else { return .ignored("own comment") }
            return .pageReply(commentId: id, parentId: parent, text: v.message ?? "", at: at)
        }
        switch v.verb {
        case "add":
            // Each person's comments are one public conversation tied to them.
            var message = InboundMessage(
                identity: (p.channel, from.id), contactName: from.name, externalId: p.comment.id(id),
                threadKey: ThreadKind.comments.key(from.id), text: v.message ?? "", isPublic: true, sentAt: at, timeNote: note)
            // The post it belongs to, for the agent to see it in context.
            message.details.postURL =
                v.post?.permalink_url.flatMap(Self.httpsURL)
                ?? v.post_id.map { "https://www.facebook.com/" + $0 }
            return .comment(message, fileURLs: v.photo.map { [$0] } ?? [])
        case "edited", "remove", "hide", "unhide":
            return .commentChanged(commentId: id, verb: v.verb ?? "", text: v.message, at: at)
        default:
            return .ignored("feed." + (v.verb ?? ""))
        }
    }
}

extension GraphWebhook.Item: KeepsUnreadable {}
