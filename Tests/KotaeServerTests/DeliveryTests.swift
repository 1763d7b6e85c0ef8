import Crypto
import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing
@testable import KotaeServer

@Suite struct DeliveryTests {
    @Test func replyIsDeliveredToTheWebhookSignedAndMarkedSent() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        try await withTestApp { app in
            let inbox = try await app.makeInbox(settings: ["webhookUrl": hook.url], credentials: ["webhookSecret": "s3cret"])
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1", text: "いつ届きますか？")
            let conversation = r["conversationId"] as! Int
            let reply = try await app.request(
                .post, "/api/v1/conversations/\(conversation)/reply", token: app.agentToken,
                json: #"{"text":"本日発送いたしました。"}"#)
            #expect(reply.status == .created)
            let message = (TestApp.object(reply)["message"] as! [String: Any])
            #expect(message["deliveryState"] as? String == "queued")
            let messageId = (message["id"] as! NSNumber).int64Value

            try await hook.wait(for: 1)
            let got = try #require(hook.received.first)
            #expect(got.headers["content-type"] == "application/json")
            #expect(got.headers["x-kotae-delivery"] == "msg-\(messageId)")
            let expected =
                "sha256="
                + HMAC<SHA256>.authenticationCode(for: got.body, using: SymmetricKey(data: Data("s3cret".utf8)))
                .map { String(format: "%02x", $0) }.joined()
            #expect(got.headers["x-kotae-signature"] == expected)
            let payload = try JSONSerialization.jsonObject(with: got.body) as! [String: Any]
            #expect(payload["text"] as? String == "本日発送いたしました。")
            #expect(payload["event"] as? String == "message.outbound")
            #expect(((payload["contact"] as! [String: Any])["identities"] as! [[String: Any]]).first?["externalId"] as? String == "cust-1")

            #expect(try await eventually { try await app.store.conversations.message(id: messageId)?.deliveryState == .sent })
            #expect(try await app.store.conversations.message(id: messageId)?.externalId == "ext-msg-\(messageId)")
            // The reply stopped the clock: the customer is no longer waiting.
            let (_, detail) = try await app.admin(.get, "/api/v1/conversations/\(conversation)")
            let c = detail["conversation"] as! [String: Any]
            #expect(c["needsReply"] as? Bool == false)
            #expect(c["firstResponseSeconds"] is Double)
            #expect(hook.received.count == 1)
        }
    }

    @Test func failingWebhookIsRetriedThenDeliveredOnce() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        hook.respond(with: [500, 503])
        try await withTestApp { app in
            let inbox = try await app.makeInbox(settings: ["webhookUrl": hook.url])
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1")
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"]!)/reply", #"{"text":"hello"}"#)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            // Backoff: ~1–2 s then ~2–4 s.
            #expect(try await eventually(timeout: 20) { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            #expect(hook.received.count == 3)
            // The runner records the job done just after the message is marked sent.
            #expect(
                try await eventually {
                    let jobs = try await app.store.jobs.list()
                    return jobs.count == 1 && jobs[0].state == .done && jobs[0].attempts == 3
                })
        }
    }

    @Test func permanentFailureIsShownWithTheReasonAndCanBeRetried() async throws {
        let hook = WebhookReceiver()
        try await hook.start()
        defer { hook.stop() }
        hook.respond(with: [400])
        try await withTestApp { app in
            let inbox = try await app.makeInbox(settings: ["webhookUrl": hook.url])
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1")
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"]!)/reply", #"{"text":"hello"}"#)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            let failed = try #require(try await app.store.conversations.message(id: id))
            #expect(failed.deliveryError?.contains("400") == true)
            #expect(try await app.store.jobs.list(state: .dead).count == 1)

            let retry = try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken)
            #expect(retry.status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let again = try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken)
            #expect(again.status == .conflict)
        }
    }

    @Test func inboxWithoutWebhookFailsVisibly() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "in-1")
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(r["conversationId"]!)/reply", #"{"text":"hello"}"#)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("webhook URL") == true)
        }
    }

    @Test func backoffGrowsExponentiallyWithJitterAndACap() {
        let b = Backoff(base: 2, cap: 60)
        #expect(b.delay(afterAttempt: 1, random: 1) == 2)
        #expect(b.delay(afterAttempt: 3, random: 1) == 8)
        #expect(b.delay(afterAttempt: 3, random: 0.5) == 4)
        #expect(b.delay(afterAttempt: 20, random: 1) == 60)
    }
}
