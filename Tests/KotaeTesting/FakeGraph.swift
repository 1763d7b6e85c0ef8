import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import NIOCore

/// A local stand-in for graph.facebook.com (v21.0): the Send API, private replies and
/// comment replies, with answers and error bodies from Tests/Fixtures/facebook and a record
/// of every request.
public final class FakeGraph: Sendable {
    public typealias Request = RecordedRequest

    public let pageToken: String
    /// A scripted answer to one POST: an error body with its status and headers, or nil to let it succeed.
    struct Scripted: Sendable { let status: Int; let body: Data; let headers: HTTPFields }
    private let state = Locked<(requests: [Request], repliedComments: Set<String>, errors: [Scripted?], sent: Int)>(([], [], [], 0))
    /// What Graph lends about @mentions of the account: a comment's or a caption's fields by id.
    private let mentioned = Locked<[String: Data]>([:])
    private let server = LocalServer()

    public init(pageToken: String = "PAGE_ACCESS_TOKEN") { self.pageToken = pageToken }

    public var base: String { "http://127.0.0.1:\(server.port)/v21.0" }
    public var cdn: String { "http://127.0.0.1:\(server.port)/cdn" }
    public var requests: [Request] { state.withLock { $0.requests } }
    /// The next POST calls answer with these error fixtures first (e.g. "error-4-app-rate-limit.doc-example.json");
    /// an empty name lets that call succeed. Profile look-ups (GET) are not scripted. `headers`
    /// go with every scripted error: Meta's usage headers (`X-Business-Use-Case-Usage`, …).
    public func fail(with fixtures: [String], headers: [String: String] = [:]) throws {
        let scripted = try fixtures.map { name -> Scripted? in
            guard !name.isEmpty else { return nil }
            let f = try Self.fixture(name)
            return try Self.scripted((f["status"] as? Int) ?? 400, (f["body"] as? [String: Any]) ?? f, headers)
        }
        state.withLock { $0.errors = scripted }
    }

    /// The next POST answers Graph's error `code` (a throttle not in the corpus, say 17 or 80001).
    public func fail(code: Int, message: String, status: Int = 400, headers: [String: String] = [:]) throws {
        let body: [String: Any] = [
            "error": ["message": message, "type": "OAuthException", "code": code, "is_transient": true, "fbtrace_id": "AbCdEfGhIjK"]
        ]
        let one = try Self.scripted(status, body, headers)
        state.withLock { $0.errors = [one] }
    }

    private static func scripted(_ status: Int, _ body: [String: Any], _ headers: [String: String]) throws -> Scripted {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return Scripted(status: status, body: try JSONSerialization.data(withJSONObject: body), headers: fields)
    }

    /// Someone @mentioned the account in comment `commentId` (read through `mentioned_comment`).
    public func mention(commentId: String, text: String, username: String, timestamp: String) throws {
        let fields = ["id": commentId, "text": text, "username": username, "timestamp": timestamp]
        try mentioned.withLock { $0["comment:" + commentId] = try JSONSerialization.data(withJSONObject: fields) }
    }

    /// Someone @mentioned the account in the caption of their media (`mentioned_media`).
    public func mention(mediaId: String, caption: String, username: String, permalink: String, timestamp: String) throws {
        let fields = ["id": mediaId, "caption": caption, "username": username, "permalink": permalink, "timestamp": timestamp]
        try mentioned.withLock { $0["media:" + mediaId] = try JSONSerialization.data(withJSONObject: fields) }
    }

    /// `mentioned_comment.comment_id(<id>){<fields>}`: the object, or an error body Graph
    /// would give (an unknown id, a field the edge does not have).
    private func lend(_ expansion: String, node: String) -> Response {
        let kinds = [
            ("mentioned_comment.comment_id(", "comment:", Set(["id", "text", "timestamp", "username", "like_count", "media"])),
            ("mentioned_media.media_id(", "media:", Set(["id", "caption", "timestamp", "username", "permalink", "media_type", "media_url"])),
        ]
        for (head, key, allowed) in kinds where expansion.hasPrefix(head) {
            let rest = expansion.dropFirst(head.count)
            guard let close = rest.firstIndex(of: ")"), rest[rest.index(after: close)...].hasPrefix("{"), rest.hasSuffix("}") else { break }
            let id = String(rest[..<close])
            let wanted = rest[rest.index(close, offsetBy: 2)..<rest.index(before: rest.endIndex)].split(separator: ",").map(String.init)
            if let bad = wanted.first(where: { !allowed.contains($0) }) {
                return jsonResponse(
                    400, ["error": ["message": "(#100) Tried accessing nonexisting field (\(bad))", "type": "OAuthException", "code": 100]])
            }
            guard let data = mentioned.withLock({ $0[key + id] }), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return jsonResponse(400, ["error": ["message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100]])
            }
            let edge = String(head.prefix { $0 != "." })
            return jsonResponse(200, [edge: object.filter { wanted.contains($0.key) }, "id": node])
        }
        return jsonResponse(400, ["error": ["message": "(#100) Syntax error in fields", "type": "OAuthException", "code": 100]])
    }

    public static func fixtureData(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("Fixtures/facebook/" + name))
    }
    public static func fixture(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: fixtureData(name)) as! [String: Any]
    }

    private static func json(_ status: Int, _ object: Any) -> Response { jsonResponse(status, object) }

    public func start() async throws {
        let router = Router()
        let token = pageToken
        let record: @Sendable (Hummingbird.Request) async throws -> (Request, Response?) = { [state] request in
            let r = try await RecordedRequest.read(request)
            let scripted = state.withLock { s -> Scripted? in
                s.requests.append(r)
                return s.errors.isEmpty || request.method == .get ? nil : s.errors.removeFirst()
            }
            if request.uri.queryParameters["access_token"].map(String.init) != token {
                let f = try FakeGraph.fixture("error-190-token-expired.doc-example.json")
                return (r, FakeGraph.json(400, (f["response"] as? [String: Any])?["body"] ?? f))
            }
            if let scripted {
                var headers = scripted.headers
                headers[.contentType] = "application/json"
                return (
                    r, Response(status: .init(code: scripted.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: scripted.body)))
                )
            }
            return (r, nil)
        }
        router.post("v21.0/:node/messages") { [state] request, context in
            let (r, early) = try await record(request)
            if let early { return early }
            let recipient = r.json["recipient"] as? [String: Any] ?? [:]
            // An attachment by link: a known type and an https address Meta can fetch.
            if let attachment = (r.json["message"] as? [String: Any])?["attachment"] as? [String: Any] {
                let url = (attachment["payload"] as? [String: Any])?["url"] as? String ?? ""
                guard ["image", "video", "audio", "file"].contains(attachment["type"] as? String ?? ""), url.hasPrefix("https://") else {
                    return FakeGraph.json(400, ["error": ["message": "(#100) Incorrect attachment URL", "type": "OAuthException", "code": 100]])
                }
            }
            if let comment = (recipient["comment_id"] ?? recipient["post_id"]) as? String {
                guard state.withLock({ $0.repliedComments.insert(comment).inserted }) else {
                    return FakeGraph.json(
                        400, ["error": ["message": "(#10900) Activity already replied to", "type": "OAuthException", "code": 10900]])
                }
                // Instagram accounts' ids start 1784…: their private reply answers as the IG fixture does.
                let instagram = context.parameters.get("node")?.hasPrefix("1784") == true
                let f = try FakeGraph.fixture(
                    instagram ? "../instagram/private-reply-comment.doc-example.json" : "private-reply-comment.doc-example.json")
                return FakeGraph.json(200, (f["response"] as! [String: Any])["body"]!)
            }
            let n = state.withLock { s -> Int in
                s.sent += 1; return s.sent
            }
            return FakeGraph.json(200, ["recipient_id": recipient["id"] as? String ?? "", "message_id": "m_sent_\(n)"])
        }
        // Meta's CDN, where attachment links point.
        router.get("cdn/:name") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: FakeLINE.png)))
        }
        router.post("v21.0/:node/likes") { request, _ in
            let (_, early) = try await record(request)
            return early ?? FakeGraph.json(200, ["success": true])
        }
        // The User Profile API: GET /{PSID or IGSID}?fields=…, the picture on the fake's CDN.
        let cdn: @Sendable () -> String = { [self] in self.cdn }
        router.get("v21.0/:node") { request, context in
            let (_, early) = try await record(request)
            if let early { return early }
            let fields = request.uri.queryParameters["fields"].map(String.init) ?? ""
            if fields.hasPrefix("mentioned_") { return self.lend(fields, node: context.parameters.get("node") ?? "") }
            let picture = cdn() + "/profile-\(context.parameters.get("node") ?? "").png"
            if fields.contains("username") {
                return FakeGraph.json(200, ["name": "Hanako Yamada", "username": "hanako.y", "profile_pic": picture])
            }
            return FakeGraph.json(200, ["name": "山田 花子", "first_name": "花子", "last_name": "山田", "profile_pic": picture])
        }
        // Hiding a comment: POST /{comment-id} with is_hidden.
        router.post("v21.0/:node") { request, _ in
            let (_, early) = try await record(request)
            return early ?? FakeGraph.json(200, ["success": true])
        }
        // Answering an @mention: a comment on the mentioning media (or under the mentioning comment).
        router.post("v21.0/:node/mentions") { [state] request, _ in
            let (r, early) = try await record(request)
            if let early { return early }
            guard r.json["media_id"] is String, r.json["message"] is String else {
                return FakeGraph.json(
                    400, ["error": ["message": "(#100) The parameter media_id is required", "type": "OAuthException", "code": 100]])
            }
            let n = state.withLock { s -> Int in
                s.sent += 1; return s.sent
            }
            return FakeGraph.json(200, ["id": "1784631983822\(n)"])
        }
        for edge in ["comments", "replies"] {  // a Page comment's replies; an Instagram comment's
            router.post("v21.0/:node/\(edge)") { [state] request, context in
                let (_, early) = try await record(request)
                if let early { return early }
                let n = state.withLock { s -> Int in
                    s.sent += 1; return s.sent
                }
                return FakeGraph.json(200, ["id": "\(context.parameters.get("node") ?? "")_reply\(n)"])
            }
        }
        await server.start(router, label: "fake-graph")
    }

    public func stop() { server.stop() }
}
