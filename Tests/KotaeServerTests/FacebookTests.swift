import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeServer
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

/// Facebook Page end to end against a local fake Graph API fed with the corpus fixtures.
@Suite struct FacebookTests {
    static let appSecret = "0123456789abcdef0123456789abcdef"  // the corpus vector's app secret
    static let page = "105000000000001"

    /// `publicURL`: Kotae's public https address, for replies that carry files.
    func withPage(
        humanAgent: Bool = false, publicURL: String? = nil, clock: AppClock = .system,
        _ body: @escaping @Sendable (TestApp, FakeGraph, Int64) async throws -> Void
    ) async throws {
        let fake = FakeGraph()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(
            clock: clock,
            configure: {
                $0.graphAPIBase = base; $0.publicURL = publicURL
            }
        ) { app in
            var settings = ["pageId": Self.page]
            if humanAgent { settings["humanAgentTag"] = "true" }
            let inbox = try await app.makeInbox(
                channel: "facebook", settings: settings,
                credentials: [
                    "appSecret": Self.appSecret, "verifyToken": "helpdesk-verify-token", "pageAccessToken": fake.pageToken,
                ])
            try await body(app, fake, inbox)
        }
    }

    @discardableResult
    func deliver(_ app: TestApp, _ inbox: Int64, _ body: Data, signature: String? = "") async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [:]
        let sig = signature == "" ? "sha256=" + WebhookSignature.hmacSHA256Hex(secret: Self.appSecret, body: body) : signature
        if let sig { headers[HTTPField.Name("X-Hub-Signature-256")!] = sig }
        return try await app.request(.post, "/webhooks/facebook/\(inbox)", body: ByteBuffer(bytes: body), headers: headers).status
    }

    func messenger(_ psid: String, mid: String, text: String, at: Date = Date()) -> Data {
        let ms = Int64(at.timeIntervalSince1970 * 1000)
        return Data(
            #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(ms),"messaging":[{"sender":{"id":"\#(psid)"},"recipient":{"id":"\#(Self.page)"},"timestamp":\#(ms),"message":{"mid":"\#(mid)","text":"\#(text)"}}]}]}"#
                .utf8)
    }

    func inbound(_ app: TestApp) async throws -> [Message] {
        var q = ConversationQuery(); q.statuses = ConversationStatus.allCases
        var all: [Message] = []
        for c in try await app.store.conversations.listConversations(q).conversations {
            all += try await app.store.conversations.messages(conversationId: c.id)
        }
        return all
    }

    @Test func theHandshakeEchoesTheChallengeOnlyForTheRightToken() async throws {
        try await withPage { app, _, inbox in
            let h = try FakeGraph.fixture("verification-handshake.doc-example.json")
            let q = (h["request"] as! [String: Any])["query"] as! [String: String]
            let ok = try await app.request(
                .get,
                "/webhooks/facebook/\(inbox)?hub.mode=\(q["hub.mode"]!)&hub.verify_token=\(q["hub.verify_token"]!)&hub.challenge=\(q["hub.challenge"]!)"
            )
            #expect(ok.status == .ok && String(buffer: ok.body) == "1158201444")
            let bad = try await app.request(
                .get, "/webhooks/facebook/\(inbox)?hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1158201444")
            #expect(bad.status == .forbidden)
        }
    }

    @Test func forgedSignaturesStoreNothingAndABatchedRedeliveryIsStoredOnce() async throws {
        try await withPage { app, _, inbox in
            let v = try FakeGraph.fixture("x-hub-signature-256.doc-example.json")
            #expect(
                try await deliver(app, inbox, Data((v["tampered_body_must_fail"] as! String).utf8), signature: v["header_value"] as? String)
                    == .unauthorized)
            #expect(try await deliver(app, inbox, Data((v["raw_body"] as! String).utf8), signature: nil) == .unauthorized)
            #expect(try await inbound(app).isEmpty)
            #expect(try await deliver(app, inbox, Data((v["raw_body"] as! String).utf8), signature: v["header_value"] as? String) == .ok)
            let batch = try FakeGraph.fixtureData("messenger-batched-and-redelivered.doc-example.json")
            #expect(try await deliver(app, inbox, batch) == .ok)
            #expect(try await deliver(app, inbox, batch) == .ok)
            let texts = try await inbound(app).map(\.text)
            #expect(texts.filter { $0 == "hello" }.count == 1, "m_first came twice in the batch and again in the redelivery")
            #expect(texts.contains("postback: Track my order (TRACK_ORDER)"))
            // The page's echo from another app (not listed as human) is stored once, as automated.
            let echoes = try await inbound(app).filter { $0.externalId == "fb:m:m_echo_1" }
            #expect(echoes.count == 1 && echoes[0].kind == .automated && echoes[0].deliveryState == .sent)
        }
    }

    /// The issue's scenario: a public complaint, a public acknowledgement, a private reply,
    /// the customer answers in Messenger — one conversation, one contact, both replies out.
    @Test func aPublicComplaintAnsweredInPublicThenInPrivateStaysOneConversation() async throws {
        try await withPage { app, graph, inbox in
            let comment =
                #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(Int(Date().timeIntervalSince1970)),"changes":[{"field":"feed","value":{"from":{"id":"7000000000000002","name":"Hanako Yamada"},"post_id":"105000000000001_900000000000003","comment_id":"900000000000003_1200000000000004","created_time":\#(Int(Date().timeIntervalSince1970)),"item":"comment","parent_id":"105000000000001_900000000000003","verb":"add","message":"I ordered a green coat and got a blue one"}}]}]}"#
            #expect(try await deliver(app, inbox, Data(comment.utf8)) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            let conversation = try #require(try await app.store.conversations.conversation(id: c))
            #expect(conversation.isPublic && conversation.contactName == "Hanako Yamada")
            var unanswered = ConversationQuery(); unanswered.unanswered = true; unanswered.publicOnly = true
            #expect(
                try await app.store.conversations.listConversations(unanswered).conversations.map(\.id) == [c],
                "waiting in Unanswered public comments")

            let (_, ack) = try await app.admin(
                .post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "Sorry! We'll fix this — check your messages."]))
            let ackId = int(ack["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: ackId)?.deliveryState == .sent })
            let publicReply = try #require(graph.requests.first { $0.path.hasSuffix("/comments") })
            #expect(publicReply.method == "POST" && publicReply.path == "/v21.0/900000000000003_1200000000000004/comments")
            #expect(publicReply.query == "access_token=PAGE_ACCESS_TOKEN")
            #expect(
                NSDictionary(dictionary: publicReply.json) == NSDictionary(dictionary: ["message": "Sorry! We'll fix this — check your messages."]))

            let (_, dm) = try await app.admin(
                .post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "Could you send your order number?", "private": true]))
            let dmId = int(dm["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: dmId)?.deliveryState == .sent })
            let privateReply = try #require(graph.requests.first { $0.path == "/v21.0/\(Self.page)/messages" })
            #expect(
                NSDictionary(dictionary: privateReply.json)
                    == NSDictionary(dictionary: [
                        "recipient": ["comment_id": "900000000000003_1200000000000004"], "message": ["text": "Could you send your order number?"],
                    ]))

            // The customer answers in Messenger from the id the private reply reached.
            #expect(try await deliver(app, inbox, messenger("6000000000000001", mid: "m_answer_1", text: "Order #1001")) == .ok)
            let answer = try #require(try await inbound(app).first { $0.externalId == "fb:m:m_answer_1" })
            #expect(answer.conversationId == c, "one conversation")
            let contact = try #require(try await app.store.contacts.contact(id: conversation.contactId))
            #expect(Set(contact.identities.map(\.externalId)) == ["7000000000000002", "6000000000000001"], "one contact")
            // The next private answer goes by the Send API inside the 24-hour window.
            let (_, more) = try await app.admin(
                .post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "A green one is on its way.", "private": true]))
            let moreId = int(more["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: moreId)?.deliveryState == .sent })
            let send = try #require(graph.requests.last { $0.path == "/v21.0/\(Self.page)/messages" })
            #expect(
                NSDictionary(dictionary: send.json)
                    == NSDictionary(dictionary: [
                        "recipient": ["id": "6000000000000001"], "messaging_type": "RESPONSE", "message": ["text": "A green one is on its way."],
                    ]))
            // Liking the comment; hiding it only as spam, audited, never deleted.
            let commentMessage = try #require(try await inbound(app).first { $0.externalId == "fb:c:900000000000003_1200000000000004" })
            #expect(try await app.request(.post, "/api/v1/messages/\(commentMessage.id)/like", token: app.agentToken).status == .noContent)
            #expect(graph.requests.contains { $0.path == "/v21.0/900000000000003_1200000000000004/likes" })
            let refused = try await app.request(
                .post, "/api/v1/messages/\(commentMessage.id)/hide", token: app.agentToken, json: #"{"reason":"rude"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(!graph.requests.contains { $0.path == "/v21.0/900000000000003_1200000000000004" }, "criticism is not hidden")
            #expect(
                try await app.request(.post, "/api/v1/messages/\(commentMessage.id)/hide", token: app.agentToken, json: #"{"reason":"spam"}"#).status
                    == .noContent)
            let hide = try #require(graph.requests.first { $0.path == "/v21.0/900000000000003_1200000000000004" })
            #expect(hide.json["is_hidden"] as? Bool == true)
            let hidden = try #require(try await app.store.conversations.message(id: commentMessage.id))
            #expect(hidden.hiddenReason == "spam" && hidden.likedAt != nil && hidden.text == "I ordered a green coat and got a blue one")
            #expect(try await app.store.events(ofType: "comment.hidden").first?.actorUserId == app.agent.id)
            // The customer removes their comment: recorded, not erased.
            let remove = try FakeGraph.fixtureData("page-feed-comment-remove.doc-example.json")
            #expect(try await deliver(app, inbox, remove) == .ok)
            #expect(try await app.store.events(ofType: "comment.remove").first?.conversationId == c)
            #expect(try await inbound(app).contains { $0.text == "I ordered a green coat and got a blue one" })
        }
    }

    @Test func outsideTheWindowTheMessageFailsWithTheReasonAndThrottlingIsRetried() async throws {
        try await withPage { app, graph, inbox in
            let old = Date().addingTimeInterval(-3 * 86400)
            #expect(try await deliver(app, inbox, messenger("6000000000000009", mid: "m_old", text: "まだですか", at: old)) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "遅くなりました"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("24-hour window") == true)
            #expect(!graph.requests.contains { $0.path.hasSuffix("/messages") }, "nothing sent outside the window")
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(page.contains("id=\"window-note\""), "the composer says why before anyone writes")

            // Inside the window, an app rate limit (code 4) is retried, not failed.
            #expect(try await deliver(app, inbox, messenger("6000000000000009", mid: "m_new", text: "もしもし")) == .ok)
            let open = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(!open.contains("id=\"window-note\""))
            try graph.fail(with: ["error-4-app-rate-limit.doc-example.json"])
            let (_, out2) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "お待たせしました"]))
            let id2 = int(out2["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id2)?.deliveryError?.contains("Graph error 4") == true })
            #expect(try await app.store.conversations.message(id: id2)?.deliveryState == .queued, "waiting to retry")
        }
    }

    /// Instagram through the same envelope: a comment on media, a public reply on its
    /// `replies` edge, a private reply, and the DM answer in the same conversation.
    @Test func anInstagramCommentGetsPublicAndPrivateRepliesInOneConversation() async throws {
        try await withInstagram { app, fake, inbox in
            var comment = try FakeGraph.fixture("../instagram/comments.doc-example.json")
            // Recent, so the 7-day private-reply limit allows it.
            var entry = (comment["entry"] as! [[String: Any]])[0]
            var change = (entry["changes"] as! [[String: Any]])[0]
            var value = change["value"] as! [String: Any]
            value["created_time"] = Int(Date().timeIntervalSince1970)
            change["value"] = value; entry["changes"] = [change]; comment["entry"] = [entry]
            #expect(try await deliver(app, inbox, try JSONSerialization.data(withJSONObject: comment)) == .ok)
            let first = try #require(try await inbound(app).first)
            #expect(first.text == "色違いはありますか？" && first.externalId == "ig:c:17860000000000011")
            let c = first.conversationId
            #expect(try await app.store.conversations.conversation(id: c)?.contactName == "hanako.y")
            #expect(try await app.replySent(c, ["text": "あります！DMでご案内します"]) != nil)
            #expect(fake.requests.contains { $0.path == "/v21.0/17860000000000011/replies" && $0.json["message"] as? String == "あります！DMでご案内します" })
            #expect(try await app.replySent(c, ["text": "DMで詳細をお送りしました！", "private": true]) != nil)
            let privateReply = try #require(fake.requests.first { $0.path == "/v21.0/17841400000000001/messages" })
            #expect(
                NSDictionary(dictionary: privateReply.json)
                    == NSDictionary(dictionary: [
                        "recipient": ["comment_id": "17860000000000011"], "message": ["text": "DMで詳細をお送りしました！"],
                    ]))
            #expect(try await deliver(app, inbox, try FakeGraph.fixtureData("../instagram/messages-text.doc-example.json")) == .ok)
            let answer = try #require(try await inbound(app).first { $0.text == "サイズ交換できますか？" })
            #expect(answer.conversationId == c)
        }
    }

    /// A photo sent in Messenger arrives as a link; its bytes become an attachment afterwards.
    /// With the human agent tag, a page answers up to 7 days after the customer's message.
    @Test func aMessengerPhotoIsFetchedAndTheHumanAgentTagExtendsTheWindow() async throws {
        try await withPage(humanAgent: true) { app, graph, inbox in
            let at = Date().addingTimeInterval(-3 * 86400)
            let ms = Int64(at.timeIntervalSince1970 * 1000)
            let body =
                #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(ms),"messaging":[{"sender":{"id":"6000000000000042"},"recipient":{"id":"\#(Self.page)"},"timestamp":\#(ms),"message":{"mid":"m_photo","attachments":[{"type":"image","payload":{"url":"\#(graph.cdn)/photo.png"}}]}}]}]}"#
            #expect(try await deliver(app, inbox, Data(body.utf8)) == .ok)
            let photo = try #require(try await inbound(app).first { $0.externalId == "fb:m:m_photo" })
            #expect(try await eventually { try await app.store.conversations.message(id: photo.id)?.attachments.first?.contentType == "image/png" })
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(photo.conversationId)/reply", jsonString(["text": "写真ありがとうございます"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let send = try #require(graph.requests.last { $0.path == "/v21.0/\(Self.page)/messages" })
            #expect(
                NSDictionary(dictionary: send.json)
                    == NSDictionary(dictionary: [
                        "recipient": ["id": "6000000000000042"], "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                        "message": ["text": "写真ありがとうございます"],
                    ]))
        }
    }

    func int(_ object: Any?, _ key: String) -> Int64 { ((object as! [String: Any])[key] as! NSNumber).int64Value }
}
