import Foundation
import KotaeCore

/// What the widget sends up its socket, one JSON object per text frame, told apart by `t`.
/// `hello` must come first; the others refer to a conversation by `thread`, the client id of
/// its first message (so a conversation started twice over a broken socket is one).
struct VisitorFrame: Decodable, Sendable {
    enum Kind: String, Decodable, Sendable {
        /// Who the visitor is and the newest message id the widget has (`since`).
        case hello
        /// A message (`cid`, `thread`, `text`, `files`); a new `thread` starts a conversation.
        case send
        case typing
        /// The visitor has seen the shop's messages in `thread`.
        case read
        /// The visitor moved to another page of the site (`page`).
        case page
        /// The address for replies the visitor does not see in the widget.
        case email
    }

    struct Page: Decodable, Sendable {
        var url: String
        var title: String?
    }

    var t: Kind
    var token: String?
    var user: VisitorIdentity.SignedUser?
    var since: Int64?
    var locale: String?
    var page: Page?
    var cid: String?
    var thread: String?
    var text: String?
    var files: [String]?
    var email: String?
}

/// What Kotae sends down the socket.
struct WidgetFrame: Encodable, Sendable {
    /// The frame as the socket sends it.
    var json: String? { (try? JSONEncoder.kotae.encode(self)).map { String(decoding: $0, as: UTF8.self) } }

    enum Kind: String, Encodable, Sendable {
        case welcome, message, ack, typing, seen, askEmail, email, error
    }

    var t: Kind
    var token: String?
    /// Lets the widget upload pictures (`POST /chat/files`).
    var upload: String?
    var threads: [WidgetThread]?
    var availability: ChatAvailability.Now?
    var email: String?
    var message: WidgetMessage?
    var cid: String?
    var thread: String?
    var id: Int64?
    var code: String?
    var detail: String?
    var retryAfter: Int?

    static func welcome(token: String?, upload: String, threads: [WidgetThread], availability: ChatAvailability.Now, email: String?) -> WidgetFrame {
        WidgetFrame(t: .welcome, token: token, upload: upload, threads: threads, availability: availability, email: email)
    }
    static func message(_ m: WidgetMessage) -> WidgetFrame { WidgetFrame(t: .message, message: m) }
    /// The message `cid` is stored as `id` (sent again, it is the same message).
    static func ack(cid: String, thread: String, id: Int64) -> WidgetFrame { WidgetFrame(t: .ack, cid: cid, thread: thread, id: id) }
    static func typing(_ thread: String) -> WidgetFrame { WidgetFrame(t: .typing, thread: thread) }
    /// Someone at the shop has the conversation open.
    static func seen(_ thread: String) -> WidgetFrame { WidgetFrame(t: .seen, thread: thread) }
    /// Nobody can answer now: may the reply come by email?
    static func askEmail(_ thread: String) -> WidgetFrame { WidgetFrame(t: .askEmail, thread: thread) }
    static func email(_ address: String) -> WidgetFrame { WidgetFrame(t: .email, email: address) }
    static func error(_ code: String, _ detail: String, cid: String? = nil, retryAfter: Int? = nil) -> WidgetFrame {
        WidgetFrame(t: .error, cid: cid, code: code, detail: detail, retryAfter: retryAfter)
    }
}

struct WidgetThread: Encodable, Sendable {
    var thread: String
    var open: Bool
    var lastMessageAt: Date
    var snippet: String
}

struct WidgetMessage: Encodable, Sendable {
    enum From: String, Encodable, Sendable { case visitor, shop, bot }
    struct File: Encodable, Sendable {
        var name: String
        var type: String
        /// A signed path on Kotae (`/files/…`).
        var url: String
    }

    var id: Int64
    var thread: String
    var cid: String?
    var from: From
    var text: String
    var files: [File]
    var at: Date
}
