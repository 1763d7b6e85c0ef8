import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import NIOCore

/// A local stand-in for LINE's api.line.me and api-data.line.me: the documented endpoints,
/// answers taken from the fixtures in Tests/Fixtures/line, and a record of every request.
public final class FakeLINE: Sendable {
    public typealias Request = RecordedRequest

    public let accessToken: String
    private let state = Locked<
        (
            requests: [Request], usedReplyTokens: Set<String>, acceptedRetryKeys: Set<String>, pushStatuses: [Int],
            monthlyLimit: Bool, plan: Int?, pushed: Int
        )
    >(([], [], [], [], false, nil, 0))
    private let server = LocalServer()

    public init(accessToken: String = "line-access-token-1") { self.accessToken = accessToken }

    public var base: String { "http://127.0.0.1:\(server.port)" }
    public var requests: [Request] { state.withLock { $0.requests } }
    /// The next pushes answer these statuses first (429 for a rate limit).
    public func failPushes(with statuses: [Int]) { state.withLock { $0.pushStatuses = statuses } }
    /// While on, pushes answer LINE's 429 "You have reached your monthly limit." (replies still go).
    public func monthlyLimit(_ reached: Bool) { state.withLock { $0.monthlyLimit = reached } }

    /// A limited plan of `limit` messages a month with `used` sent already (unlimited by
    /// default); each push accepted counts one, and one past the limit answers 429.
    public func plan(limit: Int?, used: Int) {
        state.withLock {
            $0.plan = limit; $0.pushed = used
        }
    }

    /// A fixture's JSON, e.g. `fixture("reply-message.doc-example.json")`.
    public static func fixture(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: fixtureData(name)) as! [String: Any]
    }

    public static func fixtureData(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("Fixtures/line/" + name))
    }

    /// A 1×1 PNG: the bytes of every image message.
    public static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!

    private static func json(_ status: Int, _ object: Any, headers: HTTPFields = [:]) -> Response {
        jsonResponse(status, object, headers: headers)
    }

    private static func response(_ fixture: String) -> (Int, Any) {
        let f = try! FakeLINE.fixture(fixture)
        let r = (f["response"] as? [String: Any]) ?? f
        return ((r["status"] as? Int) ?? 200, r["body"] ?? [:])
    }

    public func start() async throws {
        let router = Router()
        let token = accessToken
        let record: @Sendable (Hummingbird.Request) async throws -> Request = { [state] request in
            let r = try await RecordedRequest.read(request)
            state.withLock { $0.requests.append(r) }
            return r
        }
        let authorized: @Sendable (Request) -> Bool = { r in r.headers["authorization"] == "Bearer " + token }
        // The documented checks on a message list: at most five, known types, https images.
        let invalid: @Sendable (RecordedRequest) -> Response? = { r in
            let messages = r.json["messages"] as? [[String: Any]] ?? []
            var details: [[String: String]] = []
            if messages.isEmpty || messages.count > 5 { details.append(["message": "Size must be between 1 and 5", "property": "messages"]) }
            for (i, m) in messages.enumerated() {
                switch m["type"] as? String {
                case "text":
                    if (m["text"] as? String ?? "").isEmpty { details.append(["message": "May not be empty", "property": "messages[\(i)].text"]) }
                case "image":
                    for key in ["originalContentUrl", "previewImageUrl"] where !((m[key] as? String)?.hasPrefix("https://") ?? false) {
                        details.append(["message": "Must be a valid HTTPS URL", "property": "messages[\(i)].\(key)"])
                    }
                default: details.append(["message": "Must be one of the following values: [text, image, ...]", "property": "messages[\(i)].type"])
                }
            }
            return details.isEmpty ? nil : FakeLINE.json(400, ["message": "The request body has \(details.count) error(s)", "details": details])
        }
        let unauthorized: @Sendable () -> Response = {
            let (s, b) = FakeLINE.response("error-401-auth.doc-example.json"); return FakeLINE.json(s, b)
        }

        let port: @Sendable () -> Int = { [server] in server.port }
        router.get("v2/bot/profile/:user") { request, context in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            let user = context.parameters.get("user") ?? ""
            // LINE's picture CDN (profile.line-scdn.net) stands here on the fake itself.
            return FakeLINE.json(
                200,
                [
                    "userId": user, "displayName": "LINE 太郎", "pictureUrl": "http://127.0.0.1:\(port())/profile-pictures/\(user)",
                    "language": "ja",
                ])
        }
        router.get("profile-pictures/:user") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: FakeLINE.png)))
        }
        router.get("v2/bot/message/:id/content") { request, _ in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: FakeLINE.png)))
        }
        router.post("v2/bot/message/reply") { [state] request, _ in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            if let refused = invalid(r) { return refused }
            let replyToken = r.json["replyToken"] as? String ?? ""
            let fresh = state.withLock { $0.usedReplyTokens.insert(replyToken).inserted }
            let (status, body) = FakeLINE.response(fresh ? "reply-message.doc-example.json" : "error-400-invalid-reply-token.doc-example.json")
            return FakeLINE.json(status, body)
        }
        router.post("v2/bot/message/push") { [state] request, _ in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            if let refused = invalid(r) { return refused }
            let key = r.headers["x-line-retry-key"] ?? ""
            if state.withLock({ s in s.monthlyLimit || s.plan.map { s.pushed >= $0 } == true }) {
                let (status, body) = FakeLINE.response("error-429-monthly-limit.doc-example.json")
                return FakeLINE.json(status, body)
            }
            let (scripted, repeated) = state.withLock { s -> (Int?, Bool) in
                if !s.pushStatuses.isEmpty { return (s.pushStatuses.removeFirst(), false) }
                return (nil, !s.acceptedRetryKeys.insert(key).inserted)
            }
            if let scripted {
                let (_, body) = FakeLINE.response("error-429-rate-limit.doc-example.json")
                return FakeLINE.json(scripted, body, headers: [HTTPField.Name("Retry-After")!: "1"])
            }
            if repeated {
                let (status, body) = FakeLINE.response("error-409-retry-key-accepted.doc-example.json")
                return FakeLINE.json(status, body)
            }
            state.withLock { $0.pushed += 1 }
            let (status, body) = FakeLINE.response("push-message.doc-example.json")
            return FakeLINE.json(status, body)
        }
        // The month's plan and what was sent: `type` "none" for an unlimited plan.
        router.get("v2/bot/message/quota") { [state] request, _ in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            guard let limit = state.withLock({ $0.plan }) else { return FakeLINE.json(200, ["type": "none"]) }
            return FakeLINE.json(200, ["type": "limited", "value": limit])
        }
        router.get("v2/bot/message/quota/consumption") { [state] request, _ in
            let r = try await record(request)
            guard authorized(r) else { return unauthorized() }
            return FakeLINE.json(200, ["totalUsage": state.withLock { $0.pushed }])
        }
        await server.start(router, label: "fake-line")
    }

    public func stop() { server.stop() }
}
