import Foundation
import KotaeCore

/// X Account Activity webhooks: the CRC check (GET `crc_token`), and events (POST) signed
/// `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`.
public enum XWebhook {
    /// The CRC answer: `{"response_token":"sha256=<base64 HMAC of the token>"}`.
    public static func crcResponse(token: String, consumerSecret: String) -> String {
        "sha256=" + WebhookSignature.hmac(secret: consumerSecret, body: Data(token.utf8)).base64EncodedString()
    }

    /// The longest CRC token answered; X's are a few dozen characters.
    public static let crcTokenMaxLength = 128

    /// Whether `token` looks like X's CRC token: letters, digits and the URL-safe and base64
    /// marks `-_.~+/=`, nothing else. A JSON body needs `{`, `"` or `:` and so can never pass,
    /// which keeps the CRC answer from signing a forged event.
    public static func isCRCToken(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= crcTokenMaxLength
            && token.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.~+/=".unicodeScalars.contains($0)
            }
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
        /// The account answered someone from another tool (the X app): stored once, as a
        /// sent reply in that person's thread.
        case echo(userId: String, threadKey: String, externalId: String, text: String, isPublic: Bool, at: Date)
        /// The customer read the account's DMs up to `at`.
        case read(userId: String, at: Date)
        /// A customer deleted their post: recorded on Kotae's copy, never erased.
        case deleted(tweetId: String, at: Date)
        /// The account revoked Kotae's access: replies cannot go until it is granted again.
        case revoked
        /// Something else the account itself posted: not a customer's.
        case own(String)
        /// An event Kotae could not read: kept as it came, so nothing is lost.
        case unreadable(json: String, reason: String)
        case ignored(String)
    }

    struct Body: Decodable {
        struct Tweet: Decodable {
            struct User: Decodable { let id_str: String; let name: String?; let screen_name: String? }
            let id_str: String
            /// In compatibility mode a post over 140 characters comes cut here (`truncated`)
            /// and whole in `extended_tweet`.
            struct Extended: Decodable {
                let full_text: String?
                let display_text_range: [Int]?
            }
            let text: String?
            let full_text: String?
            let display_text_range: [Int]?
            let extended_tweet: Extended?
            let user: User
            let timestamp_ms: String?
            let retweeted_status: RetweetMarker?
            let in_reply_to_user_id_str: String?
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
        struct MarkRead: Decodable {
            let created_timestamp: String?
            let sender_id: String
        }
        struct Delete: Decodable {
            struct Status: Decodable { let id: String; let user_id: String? }
            let status: Status
            let timestamp_ms: String?
        }
        struct UserEvent: Decodable {
            struct Revoke: Decodable { let date_time: String? }
            let revoke: Revoke?
        }
        let for_user_id: String
        let tweet_create_events: [Lenient<Tweet>]?
        let direct_message_events: [Lenient<DM>]?
        let users: [String: User]?
        let direct_message_mark_read_events: [Lenient<MarkRead>]?
        let tweet_delete_events: [Lenient<Delete>]?
        let user_event: UserEvent?
    }

    /// X's `timestamp_ms` strings, range-checked (see `PlatformTime`); now when absent.
    static func time(_ ms: String?) -> (date: Date, note: String?) {
        guard let ms else { return (Date(), nil) }
        guard let v = Double(ms) else { return (Date(), "X dated this message '\(ms.prefix(40))'; it is shown at the time Kotae received it") }
        return PlatformTime.fromMilliseconds(v)
    }

    static func date(_ ms: String?) -> Date { time(ms).date }

    public struct BadBody: Error, CustomStringConvertible { public let description: String }

    public static func items(from body: Data) throws -> [Item] {
        let b: Body
        do { b = try JSONDecoder().decode(Body.self, from: body) } catch { throw BadBody(description: "not an Account Activity body: \(error)") }
        let account = b.for_user_id
        var items = (b.tweet_create_events ?? []).map { $0.item { tweet($0, account: account) } }
        items += (b.direct_message_events ?? []).map { $0.item { dm($0, account: account, users: b.users ?? [:]) } }
        items += (b.direct_message_mark_read_events ?? []).map {
            $0.item { r in
                r.sender_id == account ? .ignored("own read") : .read(userId: r.sender_id, at: date(r.created_timestamp))
            }
        }
        items += (b.tweet_delete_events ?? []).map {
            $0.item { d in
                d.status.user_id == account ? .ignored("own delete") : .deleted(tweetId: d.status.id, at: date(d.timestamp_ms))
            }
        }
        if b.user_event?.revoke != nil { items.append(.revoked) }
        return items
    }

    /// What the person wrote: the whole post (never the 140-character cut), within its
    /// display range (without the leading @reply prefix and a trailing media link).
    static func body(_ t: Body.Tweet) -> String {
        let (whole, range) =
            t.extended_tweet?.full_text.map { ($0, t.extended_tweet?.display_text_range) }
            ?? (t.full_text ?? t.text ?? "", t.display_text_range)
        guard let range, range.count == 2, range[0] >= 0, range[0] <= range[1] else { return whole }
        // X counts the range in Unicode code points.
        let scalars = Array(whole.unicodeScalars)
        guard range[1] <= scalars.count else { return whole }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[range[0]..<range[1]])
        return String(out)
    }

    /// A post that mentions or answers the account; the account's own answer to someone is
    /// an echo of a reply sent from another tool.
    static func tweet(_ t: Body.Tweet, account: String) -> Item {
        let (at, note) = time(t.timestamp_ms)
        let text = body(t)
        if t.user.id_str == account {
            guard let to = t.in_reply_to_user_id_str, to != account else { return .own(t.id_str) }
            return .echo(
                userId: to, threadKey: ThreadKind.mentions.key(to), externalId: ExternalIDKind.xPost.id(t.id_str), text: text, isPublic: true, at: at)
        }
        if t.retweeted_status != nil { return .ignored("retweet") }
        var message = InboundMessage(
            identity: ("x", t.user.id_str), contactName: t.user.screen_name.map { "@" + $0 } ?? t.user.name,
            externalId: ExternalIDKind.xPost.id(t.id_str), threadKey: ThreadKind.mentions.key(t.user.id_str),
            text: text, isPublic: true, sentAt: at, timeNote: note)
        message.details.postURL = "https://x.com/" + (t.user.screen_name ?? "i/web") + "/status/" + t.id_str
        return .message(message)
    }

    /// A direct message from a customer, or the account's own (an echo).
    static func dm(_ e: Body.DM, account: String, users: [String: Body.User]) -> Item {
        guard e.type == "message_create", let m = e.message_create else { return .ignored(e.type) }
        let (at, note) = time(e.created_timestamp)
        if m.sender_id == account {
            let to = m.target.recipient_id
            return .echo(
                userId: to, threadKey: ThreadKind.xDirect.key(to), externalId: ExternalIDKind.xDirectMessage.id(e.id),
                text: m.message_data.text ?? "", isPublic: false, at: at)
        }
        let user = users[m.sender_id]
        return .message(
            InboundMessage(
                identity: ("x", m.sender_id), contactName: user?.screen_name.map { "@" + $0 } ?? user?.name,
                externalId: ExternalIDKind.xDirectMessage.id(e.id), threadKey: ThreadKind.xDirect.key(m.sender_id),
                text: m.message_data.text ?? "", sentAt: at, timeNote: note))
    }
}

extension XWebhook.Item: KeepsUnreadable {}
