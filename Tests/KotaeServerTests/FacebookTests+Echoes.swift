import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Issue 11, part 3: what another tool's bot sent on the page is not the shop's answer.
extension FacebookTests {
    func echo(to psid: String, mid: String, text: String, appId: String?, at: Date = Date()) -> Data {
        let ms = Int64(at.timeIntervalSince1970 * 1000)
        let app = appId.map { #","app_id":\#($0)"# } ?? ""
        return Data(
            #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(ms),"messaging":[{"sender":{"id":"\#(Self.page)"},"recipient":{"id":"\#(psid)"},"timestamp":\#(ms),"message":{"is_echo":true\#(app),"mid":"\#(mid)","text":"\#(text)"}}]}]}"#
                .utf8)
    }

    @Test func theCorpusEchoNamesItsApp() throws {
        // Messenger sends app_id as a JSON number.
        let item = try FakeGraph.fixture("echo_callback_text.json")
        let body = try JSONSerialization.data(withJSONObject: [
            "object": "page", "entry": [["id": Self.page, "time": 1522851392983, "messaging": [item]]],
        ])
        let items = try GraphWebhook.items(from: body)
        guard case .echo(let psid, _, let text, _, let appId) = try #require(items.first) else {
            Issue.record("not an echo: \(items)")
            return
        }
        #expect(psid == "1739141089378194" && text == "test test" && appId == "743273262513025")
    }

    @Test func aBotsEchoIsShownButDoesNotAnswerTheCustomerAListedAppDoes() async throws {
        try await withPage { app, _, inbox in
            let started = Date().addingTimeInterval(-120)
            #expect(try await deliver(app, inbox, messenger("PSID-1", mid: "m-1", text: "返品できますか？", at: started)) == .ok)
            let conversation = try #require(try await app.store.conversations.listConversations(ConversationQuery()).conversations.first)
            let due = conversation.clock.firstResponseDue

            // An auto-responder on the page answers at once: shown, quietly, as automated.
            #expect(try await deliver(app, inbox, echo(to: "PSID-1", mid: "bot-1", text: "自動応答: 営業時間外です", appId: "1517776481860111")) == .ok)
            var c = try #require(try await app.store.conversations.conversation(id: conversation.id))
            #expect(c.clock.needsReply && c.clock.firstRespondedAt == nil && c.clock.firstResponseDue == due, "the customer still waits")
            let bot = try await app.store.conversations.messages(conversationId: c.id).filter { $0.externalId == "fb:m:bot-1" }
            #expect(bot.count == 1 && bot[0].kind == .automated)
            var unanswered = ConversationQuery(); unanswered.unanswered = true; unanswered.statuses = ConversationStatus.allCases
            #expect(try await app.store.conversations.listConversations(unanswered).conversations.map(\.id) == [c.id])
            let page = String(buffer: try await app.request(.get, "/conversations/\(c.id)", token: app.adminToken).body)
            #expect(page.contains("msg-automated") && page.contains("自動応答（他のアプリ）"))

            // The shop lists its Page inbox app as human: its echoes answer.
            let (patched, _) = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["humanAppIds": "263902037430900, 42"]]))
            #expect(patched == .ok)
            #expect(try await deliver(app, inbox, echo(to: "PSID-1", mid: "human-1", text: "担当の山田です。返品は可能です。", appId: "263902037430900")) == .ok)
            c = try #require(try await app.store.conversations.conversation(id: c.id))
            #expect(!c.clock.needsReply && c.clock.firstRespondedAt != nil)
            #expect(try await app.store.conversations.messages(conversationId: c.id).first { $0.externalId == "fb:m:human-1" }?.kind == .outbound)

            // The same bot echo again (a redelivery) is not stored twice.
            #expect(try await deliver(app, inbox, echo(to: "PSID-1", mid: "bot-1", text: "自動応答: 営業時間外です", appId: "1517776481860111")) == .ok)
            #expect(try await app.store.conversations.messages(conversationId: c.id).filter { $0.externalId == "fb:m:bot-1" }.count == 1)
        }
    }
}
