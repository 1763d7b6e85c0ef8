import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing
@testable import KotaeServer

/// `--role`: a web instance runs no jobs; a worker runs them and answers only its probes.
@Suite struct RoleTests {
    @Test func aWorkerRunsJobsAndAnswersOnlyHealthAndMetrics() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        try await withTestApp(configure: { $0.role = .worker }) { app in
            #expect(try await app.request(.get, "/health").status == .ok)
            #expect(try await app.request(.get, "/metrics").status == .ok)
            for path in ["/api/v1/conversations", "/", "/login", "/openapi.json", "/settings/inboxes"] {
                #expect(try await app.request(.get, path, token: app.adminToken).status == .notFound, "\(path)")
            }
            // A reply queued by a web instance is delivered by the worker.
            let inbox = try await app.store.inboxes.create(name: "API", channel: .api, settings: ["webhookUrl": hook.url])
            let ingested = try await app.store.conversations.ingest(
                InboundMessage(
                    identity: ("api", "c1"), externalId: "api:1", text: "届きません",
                    sentAt: Date()), inbox: inbox)
            guard case .created(_, let conversation, _) = ingested else { Issue.record("not stored"); return }
            let (message, _) = try await app.store.conversations.reply(conversationId: conversation.id, text: "確認します", author: app.admin.id)
            try await hook.wait(for: 1)
            #expect(try await eventually { try await app.store.conversations.message(id: message.id)?.deliveryState == .sent })
        }
    }

    @Test func aWebInstanceServesEverythingAndRunsNoJobs() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            #expect(app.services.runner == nil)
            let inbox = try await app.makeInbox(settings: ["webhookUrl": "http://127.0.0.1:9/hook"])
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1")
            let (status, out) = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"] as! Int)/reply", #"{"text":"確認します"}"#)
            #expect(status == .created)
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            // Left queued for a worker: the job is there, and this instance has no runner to take it.
            #expect(try await app.store.jobs.list(state: .queued).contains { (try? $0.payload(as: DeliverMessage.self))?.messageId == id })
            #expect(try await app.store.conversations.message(id: id)?.deliveryState == .queued)
        }
    }
}
