import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Every customer message is read by triage as it arrives; the agent sees what it read.
@Suite struct TriageServiceTests {
    @Test func aMessageIsKeptWithItsTriageAndTheAgentSeesIt() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, out) = try await app.ingest(inbox: inbox, externalId: "triage-1", text: "昨日の注文をキャンセルしたいです。まだ発送前ですよね？")
            let id = try #require((out["messageId"] as? NSNumber)?.int64Value)
            let stored = try #require(try await app.store.conversations.message(id: id))
            let triage = try #require(stored.details.triage)
            #expect(triage.intent == .cancel && triage.urgent && triage.needsReply)
            let conversation = try #require((out["conversationId"] as? NSNumber)?.int64Value)
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation)", token: app.adminToken).body)
            #expect(page.contains(#"<span class="triage" title="Kotae による自動の読み取り（意図・感情・緊急度）">キャンセル · 急ぎ</span>"#))
        }
    }
}
