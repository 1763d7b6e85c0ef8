import Foundation
import KotaeStore
import KotaeTesting
import NIOCore
import NIOPosix
import Testing

/// `kotae serve` stops on SIGTERM as a service manager expects: it answers what it has begun,
/// closes agents' live streams, and exits, whatever connections clients hold open.
@Suite struct GracefulStopTests {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func connect(port: Int) async throws -> Connection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Connection(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }

    /// Everything the server sends until it closes the connection, or nil if it has not
    /// closed it within `limit`.
    static func readToClose(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, within limit: Duration) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var text = ""
                for try await var buffer in inbound { text += buffer.readString(length: buffer.readableBytes) ?? "" }
                return text
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Whether a new connection to the port is refused (the server has stopped listening).
    static func refused(port: Int) async -> Bool {
        guard let probe = try? await connect(port: port) else { return true }
        try? await probe.channel.close()
        return false
    }

    @Test func connectionsUnusedHalfSentOrStreamingDoNotHoldUpTheStop() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let binary = try #require(KotaeBinary.path, "build the kotae executable first (swift build)")
        let store = KotaeStore(db: try await db.openStore().db, secrets: SecretBox(secret: "test-secret"))
        let agent = try await store.accounts.createUser(email: "agent@stop.test", name: "Agent", role: .agent, passwordHash: "x")
        let token = try await store.accounts.createAPIToken(userId: agent.id, name: "stop").token
        await store.db.close()
        let served = try await KotaeBinary.serve(binary, dataDir: db.dataDirectory, database: db.url, secret: "test-secret")
        let server = served.process
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        // An agent's desk, listening live.
        let desk = StreamListener()
        desk.start(port: served.port, headers: [.authorization: "Bearer \(token)"])
        defer { desk.stop() }
        #expect(try await eventually { desk.types.contains("hello") })

        // A browser's preconnect and an HTTP client's spare pooled connection: opened, unused.
        let idle = [try await Self.connect(port: served.port), try await Self.connect(port: served.port)]
        // A keep-alive connection between requests, as a browser leaves one after a page.
        let kept = try await Self.connect(port: served.port)
        for _ in 1...2 {
            try await kept.channel.writeAndFlush(ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            try await Task.sleep(for: .milliseconds(150))
        }
        // A request whose head is still arriving when the stop begins.
        let halfway = try await Self.connect(port: served.port)
        try await halfway.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"))
            // Let the server read it before the stop.
            try await Task.sleep(for: .milliseconds(300))

            server.terminate()
            let stopping = try await eventually(timeout: 10) { await Self.refused(port: served.port) }
            #expect(stopping, "kotae serve still takes new connections 10 s after SIGTERM")

            for connection in idle {
                let said = try await connection.executeThenClose { inbound, _ in try await Self.readToClose(inbound, within: .seconds(5)) }
                #expect(said == "", "an unused connection was not closed by the stop (it sent \(said.debugDescription))")
            }

            let keptSaid = try await kept.executeThenClose { inbound, _ in try await Self.readToClose(inbound, within: .seconds(5)) }
            #expect(
                keptSaid?.components(separatedBy: "HTTP/1.1 200").count == 3,
                "a keep-alive connection was not answered twice and then closed by the stop: \(keptSaid.debugDescription)")

            try await outbound.write(ByteBuffer(string: "\r\n"))
            let answer = try await Self.readToClose(inbound, within: .seconds(5))
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "the request begun before the stop got \(answer.debugDescription)")
        }
        #expect(try await eventually(timeout: 5) { desk.ended.withLock { $0 } }, "the agent's live stream was not closed by the stop")

        #expect(await server.exited(within: .seconds(10)), "kotae serve did not exit within 10 s of SIGTERM")
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }
}
