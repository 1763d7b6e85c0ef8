import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import Logging
import NIOCore

/// A local stand-in for api.x.com v2: reply posts and DMs, answers from Tests/Fixtures/x,
/// a scripted rate limit, and a record of every request.
public final class FakeX: Sendable {
    public struct Request: Sendable {
        public let path: String
        public let headers: [String: String]
        public let body: Data
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    public let token = "USER_CONTEXT_TOKEN"
    private let state = Locked<(requests: [Request], limited: Int)>(([], 0))
    private let portBox = Locked<Int?>(nil)
    private let task = Locked<Task<Void, any Error>?>(nil)

    public init() {}
    public var base: String { "http://127.0.0.1:\(portBox.withLock { $0 } ?? 0)" }
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
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let limited = state.withLock { s -> Bool in
                s.requests.append(Request(path: request.uri.path, headers: headers, body: Data(buffer: body)))
                if s.limited > 0 { s.limited -= 1; return true }
                return false
            }
            func json(_ status: Int, _ object: Any, _ extra: HTTPFields = [:]) -> Response {
                var h = extra
                h[.contentType] = "application/json"
                return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))))
            }
            guard headers["authorization"] == "Bearer " + token else {
                return json(401, ["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
            }
            if limited {
                let f = try FakeX.fixture("error-429-v2.doc-example.json")
                return json(429, f["body"]!, [HTTPField.Name("x-rate-limit-reset")!: String(Int(Date().timeIntervalSince1970) + 1)])
            }
            let f = try FakeX.fixture(fixture)
            let r = f["response"] as! [String: Any]
            return json(r["status"] as! Int, r["body"]!)
        }
        router.post("2/tweets") { request, _ in try await answer(request, "tweet-reply-v2.doc-example.json") }
        router.post("2/dm_conversations/with/:user/messages") { request, _ in try await answer(request, "dm-send-v2.doc-example.json") }
        let (stream, cont) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-x")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { cont.yield($0.localAddress?.port ?? 0) }, logger: logger)
        task.withLock { $0 = Task { try await app.runService() } }
        for await port in stream {
            portBox.withLock { $0 = port }
            break
        }
    }

    public func stop() { task.withLock { $0?.cancel() } }
}
