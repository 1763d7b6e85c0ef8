import Foundation
import KotaeCore
import Hummingbird
import Logging
import NIOCore

/// A local HTTP server standing in for a shop's webhook endpoint: records every request
/// and answers with the statuses it is told (then 200).
public final class WebhookReceiver: Sendable {
    public struct Received: Sendable {
        public let path: String
        public let headers: [String: String]
        public let body: Data
    }

    private let state = Locked<(received: [Received], statuses: [Int])>(([], []))
    private let portBox = Locked<Int?>(nil)
    private let task = Locked<Task<Void, any Error>?>(nil)

    public init() {}

    /// Answers the next requests with these statuses, in order.
    public func respond(with statuses: [Int]) { state.withLock { $0.statuses = statuses } }
    public var received: [Received] { state.withLock { $0.received } }
    public var url: String { "http://127.0.0.1:\(portBox.withLock { $0 } ?? 0)/hook" }

    public func start() async throws {
        let router = Router()
        router.post("hook") { [state] request, _ -> Response in
            let body = try await request.body.collect(upTo: 10 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = state.withLock { s -> Int in
                s.received.append(Received(path: request.uri.path, headers: headers, body: Data(buffer: body)))
                return s.statuses.isEmpty ? 200 : s.statuses.removeFirst()
            }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: #"{"id":"ext-\#(headers["x-kotae-delivery"] ?? "")"}"#)))
        }
        let (stream, cont) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "webhook-receiver")
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

    /// Waits until `count` requests arrived or the timeout passes.
    public func wait(for count: Int, timeout: TimeInterval = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while received.count < count && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }
}

/// A value behind a lock.
/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: TimeInterval = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}
