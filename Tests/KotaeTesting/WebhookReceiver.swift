import Foundation
import KotaeCore
import Hummingbird
import NIOCore

/// A local HTTP server standing in for a shop's webhook endpoint: records every request
/// and answers with the statuses it is told (then 200).
public final class WebhookReceiver: Sendable {
    public typealias Received = RecordedRequest

    private let state = Locked<(received: [Received], statuses: [Int])>(([], []))
    private let server = LocalServer()

    public init() {}

    /// Answers the next requests with these statuses, in order.
    public func respond(with statuses: [Int]) { state.withLock { $0.statuses = statuses } }
    public var received: [Received] { state.withLock { $0.received } }
    public var url: String { "http://127.0.0.1:\(server.port)/hook" }

    public func start() async throws {
        let router = Router()
        router.post("hook") { [state] request, _ -> Response in
            let received = try await RecordedRequest.read(request)
            let headers = received.headers
            let status = state.withLock { s -> Int in
                s.received.append(received)
                return s.statuses.isEmpty ? 200 : s.statuses.removeFirst()
            }
            return Response(
                status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: #"{"id":"ext-\#(headers["x-kotae-delivery"] ?? "")"}"#)))
        }
        await server.start(router, label: "webhook-receiver")
    }

    public func stop() { server.stop() }

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
