import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A fake platform written in Python (`Tests/commerce/*.py`): started as a child process on a
/// free loopback port, driven through its `/_fake/*` routes, and stopped with the test.
public final class PythonFake: Sendable {
    public let base: String
    private let server: ChildProcess

    public init(_ script: String) async throws {
        let directory = try TestServerProcess.folder("kotae-fake")
        let (server, ready) = try await TestServerProcess.start(script, [], in: directory)
        self.server = server
        guard let port = ready.first.flatMap({ Int($0) }) else { throw TestServerProcess.Failed("\(script) gave no port: \(ready)") }
        base = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    public func stop() { server.end(grace: .seconds(5)) }

    /// Every request the fake received, in order.
    public func requests<R: Decodable>(as type: R.Type = R.self) async throws -> [R] {
        try await get("requests")
    }

    /// `GET /_fake/<what>` read as `R`.
    public func get<R: Decodable>(_ what: String, as type: R.Type = R.self) async throws -> R {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/_fake/" + what), timeout: .seconds(10))
        return try JSONDecoder().decode(R.self, from: Data(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    /// Posts `body` to `/_fake/<what>`.
    public func control(_ what: String, _ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: base + "/_fake/" + what)
        request.method = .POST
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw TestServerProcess.Failed("the fake refused \(what): \(response.status)") }
    }

    /// A fixture from `Tests/Fixtures` as JSON.
    public static func fixture(_ path: String) throws -> [String: Any] {
        let url = TestServerProcess.repository.appendingPathComponent("Tests/Fixtures/" + path)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
