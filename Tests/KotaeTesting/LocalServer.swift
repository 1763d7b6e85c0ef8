import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import Logging
import NIOCore

/// A router served on a free loopback port until stopped: the fakes of the platforms' APIs
/// and the shop's webhook receiver all run on one.
public final class LocalServer: Sendable {
    private let portBox = Locked<Int?>(nil)
    private let task = Locked<Task<Void, any Error>?>(nil)

    public init() {}

    public var port: Int { portBox.withLock { $0 } ?? 0 }

    public func start(_ router: Router<BasicRequestContext>, label: String) async {
        let (stream, cont) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { cont.yield($0.localAddress?.port ?? 0) }, logger: logger)
        task.withLock { $0 = Task { try await app.runService() } }
        for await port in stream {
            portBox.withLock { $0 = port }
            break
        }
    }

    public func stop() { task.withLock { $0?.cancel() } }
}

/// One request as a fake received it, for tests to assert on.
public struct RecordedRequest: Sendable {
    public let method: String
    public let path: String
    public let query: String
    /// Lowercased names.
    public let headers: [String: String]
    public let body: Data
    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }

    public static func read(_ request: Request) async throws -> RecordedRequest {
        let body = try await request.body.collect(upTo: 10 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        return RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            headers: headers, body: Data(buffer: body))
    }
}

/// A JSON answer of a fake.
func jsonResponse(_ status: Int, _ object: Any, headers: HTTPFields = [:]) -> Response {
    var h = headers
    h[.contentType] = "application/json"
    return Response(
        status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))))
}
