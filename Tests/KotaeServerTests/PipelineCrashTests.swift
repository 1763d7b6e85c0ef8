import AsyncHTTPClient
import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

/// The inbound pipeline commits a message and the work that follows from it together: a
/// crash between the two cannot lose the work, even though the platform's redelivery is then
/// recognised as a duplicate.
@Suite struct PipelineCrashTests {
    static let secret = "crash-test-channel-secret"

    /// One LINE image message, as LINE sends it (and sends it again after a failed answer).
    static func imageEvent(redelivery: Bool) -> Data {
        let json = """
            {"destination":"Ucrashshop","events":[{"type":"message","mode":"active","timestamp":\(Int64(Date().timeIntervalSince1970 * 1000)),
            "webhookEventId":"01CRASHTESTIMAGE","deliveryContext":{"isRedelivery":\(redelivery)},"replyToken":"crash-reply-token",
            "source":{"type":"user","userId":"Ucrashcustomer"},
            "message":{"type":"image","id":"crash-image-1","contentProvider":{"type":"line"}}}]}
            """
        return Data(json.utf8)
    }

    static func deliver(_ http: HTTPClient, _ url: String, _ body: Data) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "x-line-signature", value: LINEWebhook.sign(body: body, channelSecret: secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        return Int(try await http.execute(request, timeout: .seconds(30)).status.code)
    }

    /// Every message customers sent, in every conversation.
    static func inbound(_ store: KotaeStore) async throws -> [Message] {
        var query = ConversationQuery()
        query.statuses = ConversationStatus.allCases
        var all: [Message] = []
        for c in try await store.conversations.listConversations(query).conversations {
            all += try await store.conversations.messages(conversationId: c.id)
        }
        return all.filter { $0.kind == .inbound }
    }

    @Test func aPictureStoredBeforeACrashIsStillFetchedAfterTheRestartAndTheRedeliveryStoresNothingTwice() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let binary = try #require(KotaeBinary.path, "build the kotae executable first (swift build)")
        let line = FakeLINE()
        try await line.start()
        defer { line.stop() }
        let http = HTTPClient.shared
        let platform = ["KOTAE_LINE_API_BASE": line.base, "KOTAE_LINE_DATA_BASE": line.base]

        var store = try await db.openStore()
        let inbox = try await store.inboxes.create(
            name: "LINE", channel: .line,
            credentials: ["channelSecret": Self.secret, "channelAccessToken": line.accessToken])
        await store.db.close()
        let webhook = "/webhooks/line/\(inbox.id)"

        // 1. The server dies the moment the message and its work are committed, before it
        //    answers LINE and before any job runs. It runs no job runner (`web`), so a busy
        //    machine cannot let the runner claim the fetch in the instant before the crash.
        let doomed = try await KotaeBinary.serve(
            binary, dataDir: db.dataDirectory, database: db.url, secret: "test-secret",
            environment: platform.merging(["KOTAE_TEST_FAULT": "crash-after-ingest-commit", "KOTAE_ROLE": "web"]) { a, _ in a })
        var server = doomed.process
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let answered = try? await Self.deliver(http, doomed.base + webhook, Self.imageEvent(redelivery: false))
        #expect(answered == nil, "LINE got an answer (\(answered ?? 0)) from a server that should have died first")
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal && server.terminationStatus == SIGKILL)
        #expect(!line.requests.contains { $0.path.hasSuffix("/content") }, "the picture was fetched before the crash")

        store = try await db.openStore()
        let stored = try await Self.inbound(store)
        #expect(stored.map(\.externalId) == ["line:crash-image-1"] && stored[0].attachments.isEmpty)
        #expect(try await store.jobs.list(state: .queued).contains { $0.kind == "line.content" }, "the fetch was committed with the message")
        await store.db.close()

        // 2. Started again, without the fault; LINE redelivers, as it does when it got no 200.
        let restarted = try await KotaeBinary.serve(
            binary, dataDir: db.dataDirectory, database: db.url, secret: "test-secret", environment: platform)
        server = restarted.process
        #expect(try await Self.deliver(http, restarted.base + webhook, Self.imageEvent(redelivery: true)) == 200)

        store = try await db.openStore()
        let fetched = try await eventually(timeout: 30) {
            try await Self.inbound(store).first?.attachments.first?.contentType == "image/png"
        }
        #expect(fetched, "the customer's picture was never fetched")
        #expect(try await Self.inbound(store).map(\.externalId) == ["line:crash-image-1"], "the redelivery was stored again")
        #expect(line.requests.filter { $0.path == "/v2/bot/message/crash-image-1/content" }.count == 1)
        await store.db.close()
        #expect(await KotaeBinary.stop(server), "kotae serve stops cleanly on SIGTERM")
    }
}
