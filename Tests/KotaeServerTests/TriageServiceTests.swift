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

    /// The inbox and the API filter by what triage read in the customer's latest message.
    @Test func theInboxFiltersByIntentAndUrgency() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            func conversation(_ who: String, _ text: String) async throws -> Int64 {
                let (_, out) = try await app.ingest(inbox: inbox, externalId: UUID().uuidString, contact: who, name: who, text: text)
                return try #require((out["conversationId"] as? NSNumber)?.int64Value)
            }
            let broken = try await conversation("a", "届いたカップが割れていました。至急お願いします。")
            let question = try await conversation("b", "送料はいくらですか？")
            let cancel = try await conversation("c", "昨日の注文をキャンセルしたいです。まだ発送前ですよね？")
            func ids(_ query: String) async throws -> [Int64] {
                let (status, out) = try await app.admin(.get, "/api/v1/conversations?\(query)")
                try #require(status == .ok, "\(out)")
                return (out["conversations"] as? [[String: Any]] ?? []).map { ($0["id"] as! NSNumber).int64Value }.sorted()
            }
            #expect(try await ids("intent=defect") == [broken])
            #expect(try await ids("intent=defect,cancel") == [broken, cancel].sorted())
            #expect(try await ids("urgent=true") == [broken, cancel].sorted())
            #expect(try await ids("intent=product_question,where_is_my_order,other").contains(question))
            let (bad, problem) = try await app.admin(.get, "/api/v1/conversations?intent=angry")
            #expect(bad == .unprocessableContent && problem["field"] as? String == "intent")
            // The inbox page's filter: only the broken plate's customer is listed.
            let page = String(buffer: try await app.request(.get, "/?view=all&intent=defect", token: app.adminToken).body)
            #expect(page.contains("data-id=\"\(broken)\"") && !page.contains("data-id=\"\(question)\"") && !page.contains("data-id=\"\(cancel)\""))
            #expect(page.contains(#"<option value="defect" selected>"#))
            // A later message is what the conversation is about now.
            _ = try await app.ingest(inbox: inbox, externalId: UUID().uuidString, contact: "a", name: "a", text: "ありがとうございました！")
            #expect(try await ids("intent=defect").isEmpty)
        }
    }
}
