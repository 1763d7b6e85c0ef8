import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The Graph API calls for a Facebook Page: Send API (Messenger), public replies to
/// comments, private replies to comments. The Page access token travels as `access_token`.
public struct GraphClient: Sendable {
    let http: HTTPClient
    let base: String
    let timeout: TimeAmount

    public init(http: HTTPClient, base: String, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.base = base
        self.timeout = timeout
    }

    /// What the Send API returns: the message id and, for a private reply, who it reached.
    public struct Sent: Sendable, Equatable {
        public let messageId: String?
        public let recipientId: String?
    }

    public enum Messaging: Sendable {
        /// Inside the 24-hour window after the customer's last message.
        case response
        /// Up to 7 days, for a Page that has the human agent permission.
        case humanAgent
    }

    public func send(pageId: String, psid: String, text: String, messaging: Messaging, token: String) async -> Result<Sent, GraphError> {
        await send(pageId: pageId, psid: psid, message: ["text": text], messaging: messaging, token: token)
    }

    /// A file the platform fetches from `url` (`type`: image, video, audio or file), one per message.
    public func sendAttachment(pageId: String, psid: String, type: String, url: String, messaging: Messaging, token: String) async -> Result<
        Sent, GraphError
    > {
        await send(
            pageId: pageId, psid: psid, message: ["attachment": ["type": type, "payload": ["url": url, "is_reusable": true]]],
            messaging: messaging, token: token)
    }

    func send(pageId: String, psid: String, message: [String: Any], messaging: Messaging, token: String) async -> Result<Sent, GraphError> {
        var body: [String: Any] = ["recipient": ["id": psid], "message": message]
        switch messaging {
        case .response: body["messaging_type"] = "RESPONSE"
        case .humanAgent: body["messaging_type"] = "MESSAGE_TAG"; body["tag"] = "HUMAN_AGENT"
        }
        return await post("/\(pageId)/messages", body, token: token)
    }

    /// A private reply to a comment, or to a visitor's post on the Page: a Messenger message
    /// that answers it (once per item, within 7 days). A post's id begins with the Page's own
    /// id (`<page>_<post>`), a comment's with its post's, which tells `post_id` from `comment_id`.
    public func privateReply(pageId: String, commentId: String, text: String, token: String) async -> Result<Sent, GraphError> {
        let key = commentId.hasPrefix(pageId + "_") ? "post_id" : "comment_id"
        return await post("/\(pageId)/messages", ["recipient": [key: commentId], "message": ["text": text]], token: token)
    }

    /// A public reply under a comment (`edge`: `comments` on a Page, `replies` on Instagram),
    /// on a Page with a picture the Graph fetches from `attachmentURL`.
    public func publicReply(
        commentId: String, edge: String = "comments", text: String, attachmentURL: String? = nil,
        token: String
    ) async -> Result<Sent, GraphError> {
        var body: [String: Any] = ["message": text]
        if let attachmentURL { body["attachment_url"] = attachmentURL }
        return await post("/\(commentId)/\(edge)", body, token: token)
    }

    /// A customer's name and picture: Messenger's User Profile API for a PSID, Instagram's
    /// for an IGSID (whose handle is what the account's comments show).
    public struct Profile: Sendable, Equatable {
        public let name: String?
        public let pictureURL: String?
    }

    public func profile(id: String, instagram: Bool, token: String) async -> Result<Profile, GraphError> {
        let fields = instagram ? "name,username,profile_pic" : "name,first_name,last_name,profile_pic"
        return await call(.GET, "/\(id)", query: "fields=" + fields, body: nil, token: token).map { json in
            let name: String?
            if instagram {
                name = (json["username"] as? String) ?? (json["name"] as? String)
            } else {
                name = (json["name"] as? String) ?? [json["first_name"], json["last_name"]].compactMap { $0 as? String }.joined(separator: " ")
            }
            return Profile(name: name?.isEmpty == false ? name : nil, pictureURL: json["profile_pic"] as? String)
        }
    }

    /// Likes a comment as the page.
    public func like(commentId: String, token: String) async -> Result<Sent, GraphError> {
        await post("/\(commentId)/likes", [:], token: token)
    }

    /// Hides a comment from everyone but its author and their friends (it is not deleted).
    public func hide(commentId: String, token: String) async -> Result<Sent, GraphError> {
        await post("/\(commentId)", ["is_hidden": true], token: token)
    }

    func post(_ path: String, _ object: [String: Any], token: String) async -> Result<Sent, GraphError> {
        await call(.POST, path, query: nil, body: try! JSONSerialization.data(withJSONObject: object), token: token).map { json in
            Sent(messageId: (json["message_id"] ?? json["id"]) as? String, recipientId: json["recipient_id"] as? String)
        }
    }

    /// One Graph call: the answer's JSON object, or Graph's error.
    func call(_ method: HTTPMethod, _ path: String, query: String?, body: Data?, token: String) async -> Result<[String: Any], GraphError> {
        let auth =
            "access_token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? token)
        var request = HTTPClientRequest(url: base + path + "?" + (query.map { $0 + "&" } ?? "") + auth)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            if (200..<300).contains(response.status.code) {
                return .success(json)
            }
            let e = json["error"] as? [String: Any] ?? [:]
            let usage = GraphUsage { response.headers.first(name: $0) }
            return .failure(
                GraphError(
                    status: Int(response.status.code), code: e["code"] as? Int ?? 0,
                    subcode: e["error_subcode"] as? Int, message: e["message"] as? String ?? "HTTP \(response.status.code)",
                    saysTransient: e["is_transient"] as? Bool ?? false, regainAccessAfter: usage.regainAccessAfter))
        } catch {
            return .failure(GraphError(status: 0, code: 0, subcode: nil, message: "Graph API unreachable: \(error)"))
        }
    }
}

/// A Graph API error, classified the way its documentation asks callers to act on it.
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let code: Int
    public let subcode: Int?
    public let message: String
    /// Graph's own `is_transient`: the same call may succeed later.
    public let saysTransient: Bool
    /// How long Meta's usage headers expect a throttle to last, when they said.
    public let regainAccessAfter: TimeInterval?

    public init(status: Int, code: Int, subcode: Int?, message: String, saysTransient: Bool = false, regainAccessAfter: TimeInterval? = nil) {
        self.status = status
        self.code = code
        self.subcode = subcode
        self.message = message
        self.saysTransient = saysTransient
        self.regainAccessAfter = regainAccessAfter
    }

    /// Throttling: 4 app, 17 user, 32 page, 613 call rate, 80000s business use case. It lasts
    /// up to an hour (Graph counts calls over a rolling hour), so it is waited out, not hammered.
    public var throttled: Bool { [4, 17, 32, 613].contains(code) || (80000...80099).contains(code) }
    /// Throttling, server faults and whatever Graph marks transient heal with time; the rest do not.
    public var transient: Bool { status == 0 || status >= 500 || throttled || saysTransient }
    public var isTokenProblem: Bool { code == 190 }
    public var isOutsideWindow: Bool { code == 10 && subcode == 2018278 }
    /// Code 10 (other than the window) and 200–299: the token lacks a permission.
    public var isPermissionProblem: Bool { (code == 10 && !isOutsideWindow) || (200...299).contains(code) }
    public var description: String { "Graph error \(code)\(subcode.map { "/\($0)" } ?? ""): \(message)" }
}
