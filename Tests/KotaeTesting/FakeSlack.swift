import Foundation
import Hummingbird
import KotaeCore
import NIOCore

/// A Slack-compatible incoming webhook: records each post's JSON. Slack itself answers the
/// text `ok`; with `givesThreads` it answers as receivers that return the message do
/// (`{"ok":true,"ts":…}`), so a sender can answer in that message's thread.
public final class FakeSlack: Sendable {
    private let posts = Locked<[[String: Any]]>([])
    private let server = LocalServer()
    let givesThreads: Bool

    public init(givesThreads: Bool) async {
        self.givesThreads = givesThreads
        let router = Router()
        router.post("services/T0001/B0001/hook") { [self] request, _ -> Response in
            let json = try await RecordedRequest.read(request).json
            let n = posts.withLock { p in
                p.append(json)
                return p.count
            }
            guard self.givesThreads else {
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
            }
            return jsonResponse(200, ["ok": true, "ts": "1764650000.00010\(n)"])
        }
        await server.start(router, label: "fake-slack")
    }

    public var url: String { "http://127.0.0.1:\(server.port)/services/T0001/B0001/hook" }
    public var received: [[String: Any]] { posts.withLock { $0 } }
    public func stop() { server.stop() }
}
