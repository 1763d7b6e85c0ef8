import Foundation
import KotaeCore
import HTTPTypes
import HummingbirdWSClient
import KotaeTesting
import Logging
import Testing

/// Listens on the WebSocket stream and collects its text frames.
final class StreamListener: Sendable {
    let frames = Locked<[[String: Any]]>([])
    private let task = Locked<Task<Void, any Error>?>(nil)

    func start(port: Int, headers: HTTPFields) {
        task.withLock {
            $0 = Task { [frames] in
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/v1/stream",
                                                  configuration: .init(additionalHeaders: headers), logger: Logger(label: "ws-test")) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let s) = message, let obj = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] {
                            frames.withLock { $0.append(obj) }
                        }
                    }
                }
            }
        }
    }

    func stop() { task.withLock { $0?.cancel() } }
    var types: [String] { frames.withLock { $0.compactMap { $0["type"] as? String } } }
}

@Suite struct StreamTests {
    @Test func signedInClientsHearNewMessagesLive() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let listener = StreamListener()
            listener.start(port: port, headers: [.authorization: "Bearer \(app.agentToken)"])
            defer { listener.stop() }
            #expect(try await eventually { listener.types.contains("hello") })

            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "live-1", text: "届きました?")
            #expect(try await eventually {
                listener.frames.withLock { $0.contains { $0["type"] as? String == "message.created" && $0["conversationId"] as? Int == r["conversationId"] as? Int } }
            })
            _ = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"]!)/priority", #"{"priority":"high"}"#)
            #expect(try await eventually { listener.types.contains("conversation.updated") })
        }
    }

    @Test func strangersCannotListen() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let listener = StreamListener()
            listener.start(port: port, headers: [.authorization: "Bearer kt_forged"])
            defer { listener.stop() }
            let inbox = try await app.makeInbox()
            _ = try await app.ingest(inbox: inbox, externalId: "x")
            try await Task.sleep(for: .milliseconds(500))
            #expect(listener.types.isEmpty)
            let plain = try await app.request(.get, "/api/v1/stream")
            #expect(plain.status == .unauthorized || plain.status == .notFound)
        }
    }
}
