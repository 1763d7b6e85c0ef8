import Foundation
import NIOCore
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing
@testable import KotaeServer

/// Issue 11, part 1: until a reply is delivered, the customer is still waiting.
@Suite struct FailedSendTests {
    private func conversation(_ app: TestApp, _ id: Int) async throws -> [String: Any] {
        try #require(try await app.admin(.get, "/api/v1/conversations/\(id)").1["conversation"] as? [String: Any])
    }

    private func ids(_ app: TestApp, _ query: String) async throws -> [Int] {
        let (_, list) = try await app.admin(.get, "/api/v1/conversations?\(query)")
        return (list["conversations"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func aReplyThatNeverArrivesLeavesTheCustomerWaitingUntilOneIsDelivered() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        try await withTestApp { app in
            // No webhook URL: this inbox cannot send (a permanent failure).
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1", text: "注文した商品がまだ届きません")
            let id = r["conversationId"] as! Int
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/assign", jsonString(["assigneeId": app.agent.id]))
            let before = try await conversation(app, id)

            let (status, out) = try await app.admin(.post, "/api/v1/conversations/\(id)/reply", #"{"text":"確認いたします"}"#)
            #expect(status == .created)
            let messageId = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(try await eventually { try await app.store.conversations.message(id: messageId)?.deliveryState == .failed })

            let after = try await conversation(app, id)
            #expect(after["needsReply"] as? Bool == true, "the customer is still waiting")
            #expect(after["status"] as? String == "open")
            #expect(after["waitingSince"] as? String == before["waitingSince"] as? String, "waiting since their message, not since the reply")
            #expect(after["firstResponseDue"] as? String == before["firstResponseDue"] as? String)
            #expect(after["slaDueAt"] as? String == before["slaDueAt"] as? String)
            #expect(after["slaState"] as? String == "on_track", "the SLA pill keeps counting")
            #expect(after["firstResponseSeconds"] == nil || after["firstResponseSeconds"] is NSNull, "no first response was made")
            #expect(after["firstRespondedAt"] == nil || after["firstRespondedAt"] is NSNull)
            #expect(after["replyFailedAt"] is String, "marked 送信失敗")

            #expect(try await ids(app, "unanswered=true") == [id])
            #expect(try await app.admin(.get, "/api/v1/stats/unanswered").1["total"] as? Int == 1)
            #expect(try await ids(app, "failed=true") == [id], "the Failed to send view")

            // The assignee hears of it.
            let notes = TestApp.object(try await app.request(.get, "/api/v1/notifications", token: app.agentToken))
            let kinds = (notes["notifications"] as? [[String: Any]] ?? []).compactMap { ($0["notification"] as? [String: Any])?["kind"] as? String }
            #expect(kinds.contains("send_failed"), "\(notes)")

            // The inbox page marks the row, in the Failed to send view with its count.
            let page = String(buffer: try await app.request(.get, "/?view=sendFailed", token: app.adminToken).body)
            #expect(page.contains(#"send-failed" data-id="\#(id)""#))
            #expect(page.contains(#"data-count="sendFailed">1<"#))
            let header = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            #expect(header.contains(#"id="send-failed-mark""#))

            // The admin fixes the inbox and sends it again: now it counts, measured to delivery.
            let (patched, _) = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["webhookUrl": hook.url]]))
            #expect(patched == .ok)
            let retried = try await app.request(.post, "/api/v1/messages/\(messageId)/retry", token: app.agentToken)
            #expect(retried.status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: messageId)?.deliveryState == .sent })
            #expect(try await eventually { try await app.store.conversations.conversation(id: Int64(id))?.clock.needsReply == false })
            let answered = try await conversation(app, id)
            let sentAt = try #require(try await app.store.conversations.message(id: messageId)?.sentAt)
            let firstResponded = try #require((answered["firstRespondedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(firstResponded.timeIntervalSince(sentAt)) < 1, "first response is the delivery, not the first attempt")
            #expect(answered["replyFailedAt"] == nil || answered["replyFailedAt"] is NSNull)
            #expect(try await ids(app, "unanswered=true").isEmpty)
            #expect(try await ids(app, "failed=true").isEmpty)
        }
    }

    @Test func aFailureIsRecordedEvenWhenTheAssigneeWasDisabled() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1")
            let id = r["conversationId"] as! Int
            _ = try await app.admin(.post, "/api/v1/conversations/\(id)/assign", jsonString(["assigneeId": app.agent.id]))
            _ = try await app.admin(.patch, "/api/v1/users/\(app.agent.id)", #"{"disabled":true}"#)
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(id)/reply", #"{"text":"確認します"}"#)
            let messageId = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(try await eventually { try await app.store.conversations.message(id: messageId)?.deliveryState == .failed })
            #expect(try await app.store.conversations.conversation(id: Int64(id))?.clock.replyFailedAt != nil)
        }
    }

    @Test func closedWhileSendingThenFailedComesBackWithItsClock() async throws {
        // No job runner: the test decides when the delivery fails.
        try await withTestApp(configure: { $0.role = .web }) { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1")
            let id = r["conversationId"] as! Int
            let before = try await conversation(app, id)
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(id)/reply", #"{"text":"返品を承りました"}"#)
            let messageId = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(try await conversation(app, id)["needsReply"] as? Bool == true, "queued is not delivered")
            // Resolving right after answering needs no reason: the answer is on its way.
            let (resolved, c) = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved"}"#)
            #expect(resolved == .ok && c["status"] as? String == "resolved", "\(c)")
            #expect(try await ids(app, "unanswered=true") == [id], "still waiting until it arrives; list and count agree")
            #expect(try await app.admin(.get, "/api/v1/stats/unanswered").1["total"] as? Int == 1)

            try await app.store.conversations.setDelivery(messageId: messageId, state: .failed, error: "送信できませんでした", externalId: nil)
            let after = try await conversation(app, id)
            #expect(after["status"] as? String == "open", "back in the queue")
            #expect(after["waitingSince"] as? String == before["waitingSince"] as? String)
            #expect(after["firstResponseDue"] as? String == before["firstResponseDue"] as? String)
            #expect(after["resolutionSeconds"] == nil || after["resolutionSeconds"] is NSNull)
            #expect(after["replyFailedAt"] is String)

            // Resolving with the reply failed and the customer waiting needs a reason again.
            let (refused, problem) = try await app.admin(.post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved"}"#)
            #expect(refused == .unprocessableContent && problem["code"] as? String == "reason_required", "\(problem)")
            #expect(try await conversation(app, id)["status"] as? String == "open")
        }
    }
}
