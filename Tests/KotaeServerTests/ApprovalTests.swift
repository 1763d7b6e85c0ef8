import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// 承認: an agent's reply in an inbox (or by an agent) that needs approval is held, unsent,
/// while the customer's clock runs; a supervisor approves it (edited or not) and it goes, or
/// sends it back with a comment and it never goes. Admins' own replies are not held.
@Suite struct ApprovalTests {
    static func reply(_ app: TestApp, _ conversation: Int64, _ text: String, token: String) async throws -> [String: Any] {
        let r = try await app.request(.post, "/api/v1/conversations/\(conversation)/reply", token: token, json: jsonString(["text": text]))
        try #require(r.status == .created, "\(String(buffer: r.body))")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
    }

    static func messageId(_ out: [String: Any]) -> Int64 { ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value }

    static func deliveries(_ app: TestApp) async throws -> Set<Int64> {
        Set(
            try await app.store.jobs.list(state: .queued).filter { $0.kind == DeliverMessage.kind }.map {
                try $0.payload(as: DeliverMessage.self).messageId
            })
    }

    @Test func aHeldReplyWaitsThenGoesAsTheSupervisorEditedIt() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            #expect(try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["approvalInboxIds": [inbox]])).0 == .ok)
            let (_, ingested) = try await app.ingest(inbox: inbox, externalId: "ap-1", contact: "c1", name: "山田 花子", text: "返品できますか？")
            let conversation = (ingested["conversationId"] as! NSNumber).int64Value

            let held = try await Self.reply(app, conversation, "山田様\n返品を承ります。", token: app.agentToken)
            let id = Self.messageId(held)
            #expect((held["message"] as? [String: Any])?["deliveryState"] as? String == "awaiting_approval")
            #expect(try await !Self.deliveries(app).contains(id), "nothing goes to the customer yet")
            let c = try #require(try await app.store.conversations.conversation(id: conversation))
            #expect(c.clock.needsReply && c.clock.replySendingSince == nil, "the customer is still waiting, the clock running")
            #expect(try await app.store.notifications(userId: app.admin.id).first?.0.kind == .approvalRequested)
            let view = String(buffer: try await app.request(.get, "/?view=awaitingApproval", token: app.adminToken).body)
            #expect(view.contains("data-id=\"\(conversation)\""))
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation)", token: app.adminToken).body)
            #expect(page.contains("承認して送信") && page.contains("この返信は承認されるまで送信されません"))
            // Only a supervisor decides.
            #expect(try await app.request(.post, "/api/v1/messages/\(id)/approve", token: app.agentToken, json: "{}").status == .forbidden)

            let (approved, out) = try await app.admin(.post, "/api/v1/messages/\(id)/approve", jsonString(["text": "山田様\n返品を承ります。着払いでお送りください。"]))
            #expect(approved == .ok, "\(out)")
            let sent = try #require(try await app.store.conversations.message(id: id))
            #expect(sent.deliveryState == .queued && sent.text == "山田様\n返品を承ります。着払いでお送りください。")
            #expect(sent.details.approval?.originalText == "山田様\n返品を承ります。" && sent.details.approval?.by == app.admin.id)
            #expect(try await Self.deliveries(app).contains(id))
            #expect(try await app.store.conversations.conversation(id: conversation)?.clock.replySendingSince != nil)
            #expect(try await app.store.notifications(userId: app.agent.id).first?.0.kind == .approvalDecided)
            let after = String(buffer: try await app.request(.get, "/?view=awaitingApproval", token: app.adminToken).body)
            #expect(!after.contains("data-id=\"\(conversation)\""))
            #expect(try await app.admin(.post, "/api/v1/messages/\(id)/approve", "{}").0 == .conflict, "decided once")

            // An admin's own reply there is not held.
            let own = try await Self.reply(app, conversation, "補足です。", token: app.adminToken)
            #expect((own["message"] as? [String: Any])?["deliveryState"] as? String == "queued")
        }
    }

    @Test func aReplySentBackNeverGoesAndItsAuthorReadsWhy() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            // This time the agent's replies, in any inbox.
            #expect(try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["approvalUserIds": [app.agent.id]])).0 == .ok)
            let (_, ingested) = try await app.ingest(inbox: inbox, externalId: "ap-2", contact: "c2", name: "佐々木", text: "届いた商品が壊れていました")
            let conversation = (ingested["conversationId"] as! NSNumber).int64Value
            let id = Self.messageId(try await Self.reply(app, conversation, "確認します。", token: app.agentToken))
            #expect(try await app.admin(.post, "/api/v1/messages/\(id)/return", #"{"comment":"  "}"#).0 == .unprocessableContent)
            let (returned, out) = try await app.admin(.post, "/api/v1/messages/\(id)/return", jsonString(["comment": "まずお詫びを入れてください"]))
            #expect(returned == .ok, "\(out)")
            let m = try #require(try await app.store.conversations.message(id: id))
            #expect(m.deliveryState == .returned && m.details.approval?.comment == "まずお詫びを入れてください")
            #expect(try await !Self.deliveries(app).contains(id))
            #expect(try await app.admin(.post, "/api/v1/messages/\(id)/approve", "{}").0 == .conflict)
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation)", token: app.agentToken).body)
            #expect(page.contains("差し戻されました: <span class=\"comment\">まずお詫びを入れてください</span>"))
            #expect(try await app.store.conversations.conversation(id: conversation)?.clock.needsReply == true)
            // The draft sent back answered no one: the customer's complaint still asks for an apology.
            let (_, check) = try await app.admin(.post, "/api/v1/conversations/\(conversation)/reply-check", jsonString(["text": "確認します。"]))
            #expect((check["issues"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }.contains("no_apology") == true, "\(check)")
            // A private answer to a public comment waits as such, and goes as such.
            let (_, comment) = try await app.ingest(
                inbox: inbox, externalId: "ap-3", contact: "c3", name: "佐々木", text: "この色はまだありますか？", extra: ["isPublic": true, "threadKey": "post-1"])
            let publicConversation = (comment["conversationId"] as! NSNumber).int64Value
            let r = try await app.request(
                .post, "/api/v1/conversations/\(publicConversation)/reply", token: app.agentToken,
                json: jsonString(["text": "DMでご案内します", "private": true]))
            #expect(r.status == .created, "\(String(buffer: r.body))")
            let privateId = Self.messageId(try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]))
            #expect(try await app.admin(.post, "/api/v1/messages/\(privateId)/approve", "{}").0 == .ok)
            let approvedPrivately = try #require(try await app.store.conversations.message(id: privateId))
            #expect(approvedPrivately.privateReply && approvedPrivately.replyToId != nil && approvedPrivately.deliveryState == .queued)
            // Settings naming someone who is not there are refused.
            let (bad, problem) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["approvalUserIds": [999]]))
            #expect(bad == .unprocessableContent && problem["field"] as? String == "approvalUserIds")
        }
    }
}
