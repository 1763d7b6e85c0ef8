import AsyncHTTPClient
import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Two `kotae serve` processes on one PostgreSQL: live events cross between them and
/// every job runs exactly once.
@Suite struct MultiInstanceTests {
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PostgreSQL (KOTAE_TEST_POSTGRES_URL)"))
    func twoInstancesShareEventsAndJobs() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let binary = try #require(KotaeBinary.path)
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }

        // Prepare users, token and an API inbox whose replies go to the hook.
        let store = try await db.openStore()
        let store2 = KotaeStore(db: store.db, secrets: SecretBox(secret: "shared-secret"))
        let admin = try await store2.accounts.createUser(email: "admin@multi.test", name: "Admin", role: .admin, passwordHash: "x")
        let token = try await store2.accounts.createAPIToken(userId: admin.id, name: "multi").token
        let inbox = try await store2.inboxes.create(name: "api", channel: .api, settings: ["webhookUrl": hook.url])

        let servedA = try await KotaeBinary.serve(binary, dataDir: db.dataDirectory + "/a", database: db.url, secret: "shared-secret")
        let a = servedA.process
        defer { if a.isRunning { kill(a.processIdentifier, SIGKILL) } }
        let servedB = try await KotaeBinary.serve(binary, dataDir: db.dataDirectory + "/b", database: db.url, secret: "shared-secret")
        let b = servedB.process
        defer { if b.isRunning { kill(b.processIdentifier, SIGKILL) } }
        let (portA, portB) = (servedA.port, servedB.port)
        let http = HTTPClient.shared

        let listener = StreamListener()
        listener.start(port: portB, headers: [.authorization: "Bearer \(token)"])
        defer { listener.stop() }
        #expect(try await eventually { listener.types.contains("hello") })

        let (status, r) = try await DurabilityTests.post(
            http, "http://127.0.0.1:\(portA)/api/v1/inboxes/\(inbox.id)/messages", token: token,
            json: DurabilityTests.message("via-a", contact: 1))
        #expect(status == 200)
        let conversation = try #require(r["conversationId"] as? Int)
        #expect(
            try await eventually {
                listener.frames.withLock {
                    $0.contains { $0["type"] as? String == "message.created" && $0["conversationId"] as? Int == conversation }
                }
            }, "an event ingested through A reaches B's stream")

        let replies = 40
        for i in 0..<replies {
            let port = i % 2 == 0 ? portA : portB
            let (s, _) = try await DurabilityTests.post(
                http, "http://127.0.0.1:\(port)/api/v1/conversations/\(conversation)/reply", token: token,
                json: #"{"text":"reply \#(i)"}"#)
            #expect(s == 201)
        }
        try await hook.wait(for: replies, timeout: 30)
        try await Task.sleep(for: .seconds(1))  // a second delivery of any job would arrive by now
        let deliveries = hook.received.compactMap { $0.headers["x-kotae-delivery"] }
        #expect(deliveries.count == replies)
        #expect(Set(deliveries).count == replies)
        #expect(
            try await eventually {
                let runs = try await store2.jobs.runCounts()
                return runs.count == replies && runs.values.allSatisfy { $0 == 1 }
            })
        listener.stop()
        #expect(await KotaeBinary.stop(a), "instance A stops cleanly on SIGTERM")
        #expect(await KotaeBinary.stop(b), "instance B stops cleanly on SIGTERM")
        await store.db.close()
    }
}
