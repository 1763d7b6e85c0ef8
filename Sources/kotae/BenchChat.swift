import Foundation
import HTTPTypes
import HummingbirdWSClient
import KotaeCore
import KotaeServer
import KotaeStore
import Logging

/// 5,000 chat widget visitors connected at once to one `kotae serve` process (a process of
/// its own, so its memory is the server's alone): how long a visitor's message takes to reach
/// an agent's live stream, and the server's resident memory with every socket open.
struct ChatBench {
    static let visitors = 5_000
    static let messages = 1_000
    let dir: String
    let port: Int

    /// Send times by client id, stored ids by client id (from the acks), arrival times on the agent's stream by id.
    struct Timings {
        var sent: [String: Date] = [:]
        var stored: [String: Int64] = [:]
        var arrived: [Int64: Date] = [:]
        var welcomed = 0
        var latencies: Latencies {
            var l = Latencies()
            for (cid, at) in sent {
                if let id = stored[cid], let got = arrived[id] { l.add(got.timeIntervalSince(at)) }
            }
            return l
        }
    }

    func run(report: inout BenchReport, logger: Logger) async throws {
        let dataDir = dir + "/chat-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: "sqlite:\(dataDir)/kotae.sqlite", logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: try SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: dataDir))))
        let admin = try await store.accounts.createUser(email: "bench@kotae.local", name: "Bench", role: .admin, passwordHash: "x")
        let token = try await store.accounts.createAPIToken(userId: admin.id, name: "bench").token
        let inbox = try await store.inboxes.create(name: "chat", channel: .chat)
        await db.close()

        let server = Process()
        server.executableURL = URL(fileURLWithPath: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        server.arguments = ["serve", "--data-dir", dataDir, "--port", String(port), "--log-level", "error"]
        server.standardOutput = FileHandle.nullDevice
        // Every visitor here comes from 127.0.0.1; on the web each has an address of their own.
        server.environment = ProcessInfo.processInfo.environment.merging(["KOTAE_CHAT_MESSAGES_PER_ADDRESS": "1000000"]) { $1 }
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await waitForHealth("http://127.0.0.1:\(port)")
        let timings = Locked(Timings())
        var clientLogger = logger
        clientLogger.logLevel = .critical
        let quiet = clientLogger

        // An agent's live stream: when each message is heard there.
        let agent = Task {
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/stream", configuration: .init(additionalHeaders: [.authorization: "Bearer \(token)"]),
                logger: quiet
            ) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message, text.contains("\"message.created\""),
                        let event = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                        let id = (event["messageId"] as? NSNumber)?.int64Value
                    else { continue }
                    let now = Date()
                    timings.withLock { $0.arrived[id] = now }
                }
            }
        }
        defer { agent.cancel() }

        // The visitors, connected in waves of 250, each saying hello and keeping its socket.
        let writers = Locked<[Int: WebSocketOutboundWriter]>([:])
        var sockets: [Task<Void, any Error>] = []
        let connectStart = Date()
        for wave in stride(from: 0, to: Self.visitors, by: 250) {
            for i in wave..<min(wave + 250, Self.visitors) {
                sockets.append(
                    Task {
                        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/chat/socket?inbox=\(inbox.id)", logger: quiet) {
                            inbound, outbound, _ in
                            try await outbound.write(
                                .text(#"{"t":"hello","locale":"ja","page":{"url":"https://shop.example/items/\#(i)","title":"item"}}"#))
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                guard case .text(let text) = message else { continue }
                                if text.contains("\"t\":\"welcome\"") {
                                    writers.withLock { $0[i] = outbound }
                                    timings.withLock { $0.welcomed += 1 }
                                } else if text.contains("\"t\":\"ack\""),
                                    let ack = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                                    let cid = ack["cid"] as? String, let id = (ack["id"] as? NSNumber)?.int64Value
                                {
                                    timings.withLock { $0.stored[cid] = id }
                                }
                            }
                        }
                    })
            }
            let target = min(wave + 250, Self.visitors)
            guard try await until(seconds: 60, { timings.withLock { $0.welcomed } >= target }) else {
                throw BenchFailure("only \(timings.withLock { $0.welcomed }) of \(target) visitors were welcomed")
            }
        }
        defer { for s in sockets { s.cancel() } }
        let connectSeconds = Date().timeIntervalSince(connectStart)
        let connectedKB = residentKB(pid: server.processIdentifier)

        // 1,000 messages at 50 a second, each from a visitor picked at random.
        for n in 0..<Self.messages {
            let visitor = Int.random(in: 0..<Self.visitors)
            guard let writer = writers.withLock({ $0[visitor] }) else { continue }
            let cid = "bench-\(n)-\(UUID().uuidString.prefix(8))"
            timings.withLock { $0.sent[cid] = Date() }
            try await writer.write(.text(#"{"t":"send","cid":"\#(cid)","text":"サイズ交換はできますか？ (\#(n))"}"#))
            try await Task.sleep(for: .milliseconds(20))
        }
        guard try await until(seconds: 30, { timings.withLock { $0.latencies.samples.count } >= Self.messages }) else {
            throw BenchFailure("only \(timings.withLock { $0.latencies.samples.count }) of \(Self.messages) messages reached the agent's stream")
        }
        let afterKB = residentKB(pid: server.processIdentifier)
        report.add(
            "\(Self.visitors.formatted()) widget sockets: connected and welcomed", String(format: "%.1f s", connectSeconds), "(diagnostic)")
        report.add(
            "a visitor's message to the agent's live stream, \(Self.visitors.formatted()) sockets open (50 messages/s)",
            timings.withLock { $0.latencies.summary }, "p99 < 50 ms")
        report.add(
            "server memory with \(Self.visitors.formatted()) widget sockets (RSS, after the messages)",
            "\(max(connectedKB, afterKB) / 1024) MB", "< 400 MB")
    }

    func until(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
