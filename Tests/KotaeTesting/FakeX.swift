import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import NIOCore

/// A local stand-in for api.x.com v2: reply posts and DMs, answers from Tests/Fixtures/x,
/// a scripted rate limit, and a record of every request.
public final class FakeX: Sendable {
    public typealias Request = RecordedRequest

    public let token = "USER_CONTEXT_TOKEN"
    private let state = Locked<(requests: [Request], limited: Int)>(([], 0))
    private let server = LocalServer()

    public init() {}
    public var base: String { "http://127.0.0.1:\(server.port)" }
    public var requests: [Request] { state.withLock { $0.requests } }
    /// The next `count` calls answer 429 with x-rate-limit-reset one second ahead.
    public func rateLimit(_ count: Int) { state.withLock { $0.limited = count } }

    public static func fixture(_ name: String) throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("Fixtures/x/" + name))) as! [String: Any]
    }

    public func start() async throws {
        let router = Router()
        let token = token
        let answer: @Sendable (Hummingbird.Request, String) async throws -> Response = { [state] request, fixture in
            let r = try await RecordedRequest.read(request)
            let limited = state.withLock { s -> Bool in
                s.requests.append(r)
                if s.limited > 0 { s.limited -= 1; return true }
                return false
            }
            func json(_ status: Int, _ object: Any, _ extra: HTTPFields = [:]) -> Response { jsonResponse(status, object, headers: extra) }
            guard r.headers["authorization"] == "Bearer " + token else {
                return json(401, ["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
            }
            if limited {
                let f = try FakeX.fixture("error-429-v2.doc-example.json")
                return json(429, f["body"]!, [HTTPField.Name("x-rate-limit-reset")!: String(Int(Date().timeIntervalSince1970) + 1)])
            }
            let f = try FakeX.fixture(fixture)
            let response = f["response"] as! [String: Any]
            return json(response["status"] as! Int, response["body"]!)
        }
        router.post("2/tweets") { request, _ in try await answer(request, "tweet-reply-v2.doc-example.json") }
        router.post("2/dm_conversations/with/:user/messages") { request, _ in try await answer(request, "dm-send-v2.doc-example.json") }
        await server.start(router, label: "fake-x")
    }

    public func stop() { server.stop() }
}
