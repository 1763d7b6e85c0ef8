import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

/// LINE end to end against a local fake of LINE's API fed with the corpus fixtures:
/// signed webhooks in, profiles and images fetched, replies out by reply token or push.
@Suite struct LINETests {
    static let secret = "8c570fa6dd201bb328f1c1eac23a96d8"  // the corpus vector's channel secret

    func withLINE(clock: AppClock = .system, _ body: @escaping @Sendable (TestApp, FakeLINE, Int64) async throws -> Void) async throws {
        let fake = FakeLINE()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(
            clock: clock,
            configure: {
                $0.lineAPIBase = base; $0.lineDataBase = base
            }
        ) { app in
            let inbox = try await app.makeInbox(channel: "line", credentials: ["channelSecret": Self.secret, "channelAccessToken": fake.accessToken])
            try await body(app, fake, inbox)
        }
    }

    @discardableResult
    func post(_ app: TestApp, _ inbox: Int64, _ body: Data, signature: String?) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [:]
        if let signature { headers[HTTPField.Name("x-line-signature")!] = signature }
        return try await app.request(.post, "/webhooks/line/\(inbox)", body: ByteBuffer(bytes: body), headers: headers).status
    }

    func signed(_ app: TestApp, _ inbox: Int64, _ body: Data) async throws -> HTTPResponse.Status {
        try await post(app, inbox, body, signature: LINEWebhook.sign(body: body, channelSecret: Self.secret))
    }

    func messages(_ app: TestApp) async throws -> [Message] {
        var all: [Message] = []
        for c in try await app.store.conversations.listConversations(
            {
                var q = ConversationQuery(); q.statuses = ConversationStatus.allCases; return q
            }()
        ).conversations {
            all += try await app.store.conversations.messages(conversationId: c.id)
        }
        return all.filter { $0.kind == .inbound }
    }

    @Test func theCorpusSignatureVectorVerifiesAndATamperedBodyDoesNot() throws {
        let v = try FakeLINE.fixture("x-line-signature.doc-example.json")
        let body = Data((v["raw_body"] as! String).utf8), tampered = Data((v["tampered_body_must_fail"] as! String).utf8)
        #expect(LINEWebhook.verify(signature: v["header_value"] as? String, channelSecret: v["channel_secret"] as! String, body: body))
        #expect(!LINEWebhook.verify(signature: v["header_value"] as? String, channelSecret: v["channel_secret"] as! String, body: tampered))
        #expect(LINEWebhook.sign(body: body, channelSecret: v["channel_secret"] as! String) == v["header_value"] as? String)
    }

    @Test func forgedAndMissingSignaturesStoreNothingAndARedeliveryIsStoredOnce() async throws {
        try await withLINE { app, fake, inbox in
            let v = try FakeLINE.fixture("x-line-signature.doc-example.json")
            let body = Data((v["raw_body"] as! String).utf8)
            #expect(
                try await post(app, inbox, Data((v["tampered_body_must_fail"] as! String).utf8), signature: v["header_value"] as? String)
                    == .unauthorized)
            #expect(try await post(app, inbox, body, signature: nil) == .unauthorized)
            #expect(try await post(app, inbox, body, signature: "not base64 at all") == .unauthorized)
            #expect(try await messages(app).isEmpty, "nothing stored from a bad signature")
            #expect(try await post(app, inbox, body, signature: v["header_value"] as? String) == .ok)
            #expect(try await signed(app, inbox, try FakeLINE.fixtureData("webhook-redelivery.doc-example.json")) == .ok)
            let stored = try await messages(app)
            #expect(stored.map(\.text) == ["注文を確認したいです"], "the redelivery is the same message")
            // The console's Verify button: no events, still 200.
            #expect(try await signed(app, inbox, try FakeLINE.fixtureData("webhook-verify-empty-events.doc-example.json")) == .ok)
            // The customer's LINE profile names the contact.
            let conversation = try #require(try await app.store.conversations.conversation(id: stored[0].conversationId))
            #expect(try await eventually { try await app.store.contacts.contact(id: conversation.contactId)?.name == "LINE 太郎" })
            let profile = try #require(fake.requests.first { $0.path.hasPrefix("/v2/bot/profile/") })
            #expect(profile.method == "GET" && profile.path == "/v2/bot/profile/U4af4980629aaaaaaaaaaaaaaaaaaaaaa")
            #expect(profile.headers["authorization"] == "Bearer " + fake.accessToken)
            #expect(
                try await app.store.contacts.avatarURL(contactId: conversation.contactId) == fake.base
                    + "/profile-pictures/U4af4980629aaaaaaaaaaaaaaaaaaaaaa")
            // The picture is kept (LINE's links expire) and shown from Kotae itself.
            let picture = try #require(
                try await eventually { try await app.store.contacts.contact(id: conversation.contactId)?.avatarSHA256 != nil }
                    ? try await app.store.contacts.contact(id: conversation.contactId)?.avatarSHA256 : nil)
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation.id)", token: app.agentToken).body)
            #expect(page.contains("src=\"/api/v1/attachments/\(picture)\""))
            let bytes = try await app.request(.get, "/api/v1/attachments/\(picture)", token: app.agentToken)
            #expect(Data(buffer: bytes.body) == FakeLINE.png)
        }
    }

    @Test func everyKindOfEventInTheSDKFixtureLandsWhereItBelongs() async throws {
        try await withLINE { app, fake, inbox in
            // The SDK's fixture gives every message the id 325708: as LINE means it, one message.
            #expect(try await signed(app, inbox, try FakeLINE.fixtureData("webhook-events-all.json")) == .ok)
            #expect(try await messages(app).filter { $0.externalId == "line:325708" }.count == 1)
            // Its unsend event marks it; the text stays.
            let unsent = try #require(try await messages(app).first { $0.externalId == "line:325708" })
            #expect(unsent.authorChange == "unsent" && !unsent.text.isEmpty)
            // Each event again with an id of its own, to see every kind mapped.
            var fixture = try FakeLINE.fixture("webhook-events-all.json")
            fixture["events"] = (fixture["events"] as! [[String: Any]]).enumerated().map { i, event in
                var e = event
                e["webhookEventId"] = "01FIXTURE\(i)"
                if var m = e["message"] as? [String: Any], m["id"] as? String == "325708" { m["id"] = "fx\(i)"; e["message"] = m }
                return e
            }
            #expect(try await signed(app, inbox, try JSONSerialization.data(withJSONObject: fixture)) == .ok)
            let stored = try await messages(app)
            let texts = stored.map(\.text)
            #expect(texts.contains("📍 my location Tokyo (35.65910807942215, 139.70372892916203)"))
            #expect(texts.contains { $0.hasPrefix("[sticker 1/1") })
            #expect(texts.contains { $0.hasPrefix("postback: action=buyItem") })
            #expect(texts.contains("file.txt"), "a file message reads as its file name")
            // Group and room messages are conversations of their own, not the sender's private one.
            let threads = Set(try await app.store.conversations.listConversations(ConversationQuery()).conversations.map(\.threadKey))
            #expect(threads.contains { $0.contains("group:Ca56f94637cc4347f90a25382909b24b9") })
            #expect(threads.contains { $0.contains("room:Ra8dbf4673c4c812cd491258042226c99") })
            // The image's bytes come from api-data and become an attachment of its message.
            let image = try #require(stored.first { $0.externalId == "line:354718705033693861" })
            #expect(try await eventually { try await app.store.conversations.message(id: image.id)?.attachments.first?.contentType == "image/png" })
            let file = try #require(try await app.store.conversations.message(id: image.id)?.attachments.first)
            let download = try await app.request(.get, "/api/v1/attachments/\(file.sha256)", token: app.adminToken)
            #expect(Data(buffer: download.body) == FakeLINE.png)
            #expect(fake.requests.contains { $0.path == "/v2/bot/message/354718705033693861/content" })
            // Following and blocking are recorded, not conversations.
            #expect(try await app.store.events(ofType: "line.follow").count == 2, "once per delivery id: the fixture's and the renumbered one")
            #expect(try await app.store.events(ofType: "line.unfollow").first?.data.contains("U206d25c2ea6bd87c17655609a1c37cb8") == true)
            // A second delivery of the whole body changes nothing.
            let count = stored.count
            #expect(try await signed(app, inbox, try JSONSerialization.data(withJSONObject: fixture)) == .ok)
            #expect(try await messages(app).count == count)
            // An event of a shape Kotae cannot read is kept, and the batch still answered.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let odd =
                #"{"destination":"Ubot","events":[{"type":"message","timestamp":"soon","source":{"type":"user","userId":"Uodd"}},{"type":"message","message":{"type":"text","id":"9090","text":"こんにちは"},"webhookEventId":"01ODD","timestamp":\#(now),"source":{"type":"user","userId":"Uodd"},"mode":"active"}]}"#
            #expect(try await signed(app, inbox, Data(odd.utf8)) == .ok)
            #expect(try await messages(app).contains { $0.externalId == "line:9090" })
            #expect(try await app.store.events(ofType: "line.unreadable").first?.data.contains("soon") == true)
        }
    }

    /// A fresh message's reply token answers it; later replies are pushed with a retry key
    /// that stays the same across attempts.
    @Test func repliesUseAFreshReplyTokenThenPushWithAStableRetryKey() async throws {
        try await withLINE { app, fake, inbox in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let body =
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"9001","text":"返品できますか"},"webhookEventId":"01EVENT9001","deliveryContext":{"isRedelivery":false},"timestamp":\#(now),"source":{"type":"user","userId":"Ucustomer1"},"replyToken":"reply-token-9001","mode":"active"}]}"#
            #expect(try await signed(app, inbox, Data(body.utf8)) == .ok)
            let c = try #require(try await messages(app).first).conversationId
            let (status, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "はい、7日以内なら返品できます"]))
            #expect(status == .created)
            let first = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: first)?.deliveryState == .sent })
            let reply = try #require(fake.requests.first { $0.path == "/v2/bot/message/reply" })
            #expect(reply.method == "POST" && reply.headers["authorization"] == "Bearer " + fake.accessToken)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(
                NSDictionary(dictionary: reply.json)
                    == NSDictionary(dictionary: [
                        "replyToken": "reply-token-9001", "messages": [["type": "text", "text": "はい、7日以内なら返品できます"]],
                    ]))
            #expect(try await app.store.conversations.message(id: first)?.externalId == "461230966842064897", "LINE's id from the reply's answer")

            // The token is spent: the next answer is pushed. A rate limit first, then success,
            // both attempts with one retry key.
            fake.failPushes(with: [429])
            let (_, out2) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "返送先をお送りします"]))
            let second = int(out2["message"], "id")
            #expect(try await eventually(timeout: 20) { try await app.store.conversations.message(id: second)?.deliveryState == .sent })
            let pushes = fake.requests.filter { $0.path == "/v2/bot/message/push" }
            #expect(pushes.count == 2)
            #expect(
                NSDictionary(dictionary: pushes[1].json)
                    == NSDictionary(dictionary: [
                        "to": "Ucustomer1", "messages": [["type": "text", "text": "返送先をお送りします"]],
                    ]))
            let key = try #require(pushes[0].headers["x-line-retry-key"])
            #expect(UUID(uuidString: key) != nil && pushes[1].headers["x-line-retry-key"] == key)
            #expect(fake.requests.filter { $0.path == "/v2/bot/message/reply" }.count == 1)
        }
    }

    @Test func aRevokedAccessTokenFailsTheMessageWithAReasonAnAdminCanAct() async throws {
        try await withLINE { app, fake, inbox in
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["channelAccessToken": "revoked"]]))
            let body =
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"9002","text":"こんにちは"},"webhookEventId":"01EVENT9002","timestamp":\#(tenMinutesAgo),"source":{"type":"user","userId":"Ucustomer2"},"replyToken":"old-token","mode":"active"}]}"#
            #expect(try await signed(app, inbox, Data(body.utf8)) == .ok)
            let c = try #require(try await messages(app).first).conversationId
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "お問い合わせありがとうございます"]))
            let id = int(out["message"], "id")
            #expect(try await eventually(timeout: 20) { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("channel access token") == true)
            #expect(!fake.requests.contains { $0.path == "/v2/bot/message/reply" }, "a token from long ago is not tried")
            // Admins see it on the inbox until a new token is stored.
            let settings = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(settings.contains("id=\"credential-problem\"") && settings.contains("channel access token"))
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["channelAccessToken": fake.accessToken]]))
            let fixed = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(!fixed.contains("id=\"credential-problem\""))
        }
    }

    /// A used-up monthly quota is not retried every minute for a month: the message fails
    /// with the reason, admins see it, and it clears once a message goes through again.
    @Test func theMonthlyLimitFailsPushesVisiblyUntilSendingWorksAgain() async throws {
        try await withLINE { app, fake, inbox in
            let body =
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"9003","text":"まだですか"},"webhookEventId":"01EVENT9003","timestamp":\#(tenMinutesAgo),"source":{"type":"user","userId":"Ucustomer3"},"replyToken":"old-token-3","mode":"active"}]}"#
            #expect(try await signed(app, inbox, Data(body.utf8)) == .ok)
            let c = try #require(try await messages(app).first).conversationId
            fake.monthlyLimit(true)
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "確認します"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("monthly message limit") == true)
            #expect(fake.requests.filter { $0.path == "/v2/bot/message/push" }.count == 1, "not retried against a quota")
            let settings = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(settings.contains("id=\"credential-problem\"") && settings.contains("monthly message limit"))
            fake.monthlyLimit(false)
            #expect(try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken).status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            #expect(
                try await eventually {  // cleared just after the message is marked sent
                    let fixed = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
                    return !fixed.contains("id=\"credential-problem\"")
                }, "sending works again")
        }
    }

    /// LINE accepts a push to someone who blocked the account and delivers nothing: the
    /// conversation says so, a reply fails with the reason instead of showing "sent", and
    /// unblocking (a later follow) lifts both. A late, older event does not undo a newer one.
    @Test func aCustomerWhoBlockedTheShopIsShownAndNotPushedTo() async throws {
        try await withLINE { app, fake, inbox in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            func event(_ type: String, _ id: String, at: Int64) -> Data {
                Data(
                    #"{"destination":"Ubot","events":[{"type":"\#(type)","webhookEventId":"\#(id)","timestamp":\#(at),"source":{"type":"user","userId":"Ublocker"},"mode":"active"}]}"#
                        .utf8)
            }
            let text =
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"9500","text":"返品したい"},"webhookEventId":"01BLOCK0","timestamp":\#(now - 60_000),"source":{"type":"user","userId":"Ublocker"},"mode":"active"}]}"#
            #expect(try await signed(app, inbox, Data(text.utf8)) == .ok)
            let c = try #require(try await messages(app).first).conversationId
            #expect(try await signed(app, inbox, event("unfollow", "01BLOCK1", at: now)) == .ok)
            #expect(try await signed(app, inbox, event("follow", "01BLOCK2", at: now - 30_000)) == .ok, "older, delivered late")
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(page.contains("id=\"blocked-note\"") && page.contains("ブロックしています"))
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "返品を承ります"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("blocked") == true)
            #expect(!fake.requests.contains { $0.path == "/v2/bot/message/push" })
            // Unblocked: the note goes and the retry is pushed.
            #expect(try await signed(app, inbox, event("follow", "01BLOCK3", at: now + 1000)) == .ok)
            let after = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(!after.contains("id=\"blocked-note\""))
            #expect(try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken).status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
        }
    }

    /// The inbox's page gives the address to register in the platform's console, and warns
    /// while Kotae has no public https address (platforms deliver nowhere else).
    @Test func theInboxPageGivesTheWebhookURLToRegister() async throws {
        try await withLINE { app, _, inbox in
            let page = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(page.contains("/webhooks/line/\(inbox)\"") && page.contains("id=\"webhook-not-public\""))
        }
        try await withTestApp(configure: { $0.publicURL = "https://desk.midori.example/" }) { app in
            let inbox = try await app.makeInbox(channel: "facebook")
            let page = String(buffer: try await app.request(.get, "/settings/inboxes/\(inbox)", token: app.adminToken).body)
            #expect(page.contains("value=\"https://desk.midori.example/webhooks/facebook/\(inbox)\""))
            #expect(!page.contains("webhook-not-public"))
        }
    }

    func int(_ object: Any?, _ key: String) -> Int64 { ((object as! [String: Any])[key] as! NSNumber).int64Value }

    /// LINE's milliseconds of ten minutes ago: a reply token that old is not tried.
    var tenMinutesAgo: Int { Int(Date().timeIntervalSince1970 * 1000) - 600_000 }
}
