import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

/// X end to end against a local fake of api.x.com fed with the corpus fixtures.
@Suite struct XTests {
    static let secret = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"  // the corpus vectors' consumer secret

    @Test func theCRCAndSignatureVectorsHold() throws {
        let crc = try FakeX.fixture("crc-challenge.doc-example.json")
        let token = ((crc["request"] as! [String: Any])["query"] as! [String: String])["crc_token"]!
        #expect(XWebhook.crcResponse(token: token, consumerSecret: Self.secret) == "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=")
        let v = try FakeX.fixture("webhook-signature.doc-example.json")
        #expect(XWebhook.verify(signature: v["header_value"] as? String, consumerSecret: Self.secret, body: Data((v["raw_body"] as! String).utf8)))
        #expect(
            !XWebhook.verify(
                signature: v["header_value"] as? String, consumerSecret: Self.secret, body: Data(((v["raw_body"] as! String) + " ").utf8)))
    }

    @Test func mentionsAndDMsComeInSignedOnceAndRepliesGoOutAsPostAndDM() async throws {
        let fake = FakeX()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: { $0.xAPIBase = base }) { app in
            let inbox = try await app.makeInbox(
                channel: "x", settings: ["userId": "2244994945", "keywords": "みどり自転車, 注文"],
                credentials: ["consumerSecret": Self.secret, "accessToken": fake.token])
            let crc = try await app.request(.get, "/webhooks/x/\(inbox)?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553")
            #expect(crc.status == .ok && String(buffer: crc.body).contains("Cytd4Sq+NvEcV3MMrXxWJGJx5A+y\\/lXzzU2Maartkx8="))
            func post(_ body: Data, signature: String?) async throws -> HTTPResponse.Status {
                var h: HTTPFields = [:]
                if let signature { h[HTTPField.Name("x-twitter-webhooks-signature")!] = signature }
                return try await app.request(.post, "/webhooks/x/\(inbox)", body: ByteBuffer(bytes: body), headers: h).status
            }
            let mention = try JSONSerialization.data(withJSONObject: try FakeX.fixture("aaa-tweet-create-events-mention.doc-example.json"))
            #expect(try await post(mention, signature: "sha256=AAAA") == .unauthorized)
            #expect(try await post(mention, signature: nil) == .unauthorized)
            var q = ConversationQuery(); q.statuses = ConversationStatus.allCases
            #expect(try await app.store.conversations.listConversations(q).conversations.isEmpty)
            let signed = XWebhook.sign(body: mention, consumerSecret: Self.secret)
            #expect(try await post(mention, signature: signed) == .ok)
            #expect(try await post(mention, signature: signed) == .ok)  // a replayed delivery
            let dms = try JSONSerialization.data(withJSONObject: try FakeX.fixture("aaa-direct-message-events.doc-example.json"))
            #expect(try await post(dms, signature: XWebhook.sign(body: dms, consumerSecret: Self.secret)) == .ok)
            let conversations = try await app.store.conversations.listConversations(q).conversations
            let public_ = try #require(conversations.first { $0.isPublic })
            let dm = try #require(conversations.first { !$0.isPublic })
            #expect(
                try await app.store.conversations.messages(conversationId: public_.id).filter { $0.kind == .inbound }.map(\.text) == [
                    "@shop_support 注文1001がまだ届きません"
                ])
            #expect(public_.contactName == "@hanako_y" && dm.contactId == public_.contactId, "one person, two threads")
            // Listening: the mention names a keyword; the private DM is not labelled.
            #expect(public_.labels == ["listening: 注文"])
            #expect(dm.labels.isEmpty)

            // A public reply is a reply post; a rate limit waits for the reset, then it goes.
            fake.rateLimit(1)
            let (_, r1) = try await app.admin(.post, "/api/v1/conversations/\(public_.id)/reply", jsonString(["text": "@hanako_y DMをお送りしました。"]))
            let id1 = ((r1["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually(timeout: 20) { try await app.store.conversations.message(id: id1)?.deliveryState == .sent })
            let posts = fake.requests.filter { $0.path == "/2/tweets" }
            #expect(posts.count == 2, "429 first, then sent")
            #expect(
                NSDictionary(dictionary: posts[1].json)
                    == NSDictionary(dictionary: [
                        "text": "@hanako_y DMをお送りしました。", "reply": ["in_reply_to_tweet_id": "1785620000000000001"],
                    ]))
            #expect(try await app.store.conversations.message(id: id1)?.externalId == "x:t:1785620000000000300")
            // Privately: a DM to the same person.
            let (_, r2) = try await app.admin(
                .post, "/api/v1/conversations/\(public_.id)/reply", jsonString(["text": "ご連絡ありがとうございます。注文番号を教えてください。", "private": true]))
            let id2 = ((r2["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id2)?.deliveryState == .sent })
            let dmSend = try #require(fake.requests.last { $0.path.hasPrefix("/2/dm_conversations/") })
            #expect(dmSend.path == "/2/dm_conversations/with/3000000001/messages")
            #expect(dmSend.headers["authorization"] == "Bearer USER_CONTEXT_TOKEN")
            #expect(NSDictionary(dictionary: dmSend.json) == NSDictionary(dictionary: ["text": "ご連絡ありがとうございます。注文番号を教えてください。"]))
        }
    }

    /// Issue 11, part 6: a mention over 140 characters is stored whole, and listening finds
    /// the shop's name past the cut.
    @Test func aLongMentionIsStoredWholeAndListeningSeesAllOfIt() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox(
                channel: "x", settings: ["userId": "2244994945", "keywords": "コタエ雑貨店"],
                credentials: ["consumerSecret": Self.secret])
            let fixture = try FakeX.fixture("aaa-tweet-create-events-extended.doc-example.json")
            let body = try JSONSerialization.data(withJSONObject: fixture)
            let h: HTTPFields = [HTTPField.Name("x-twitter-webhooks-signature")!: XWebhook.sign(body: body, consumerSecret: Self.secret)]
            #expect(try await app.request(.post, "/webhooks/x/\(inbox)", body: ByteBuffer(bytes: body), headers: h).status == .ok)
            let conversation = try #require(try await app.store.conversations.listConversations(ConversationQuery()).conversations.first)
            let text = try #require(try await app.store.conversations.messages(conversationId: conversation.id).first?.text)
            let tweet = (fixture["tweet_create_events"] as! [[String: Any]])[0]
            let full = (tweet["extended_tweet"] as! [String: Any])["full_text"] as! String
            #expect(text.hasPrefix("先週注文したランプの件です。"), "without the @reply prefix: \(text)")
            #expect(text.hasSuffix("梱包を見直していただけると嬉しいです。"), "the whole post, without the photo's link")
            #expect(!text.contains("…") && !text.contains("https://t.co/"))
            #expect(full.contains(text) && text.count > 140)
            #expect(conversation.labels == ["listening: コタエ雑貨店"])
        }
    }

    /// The shop answered from the X app: its DM and its reply post are stored once as sent
    /// replies, and the customer's clock stops. Its other posts are not conversations.
    @Test func answersFromTheXAppAreStoredAsRepliesAndOddEventsKept() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox(channel: "x", settings: ["userId": "2244994945"], credentials: ["consumerSecret": Self.secret])
            func post(_ object: Any) async throws -> HTTPResponse.Status {
                let body = try JSONSerialization.data(withJSONObject: object)
                let h: HTTPFields = [HTTPField.Name("x-twitter-webhooks-signature")!: XWebhook.sign(body: body, consumerSecret: Self.secret)]
                return try await app.request(.post, "/webhooks/x/\(inbox)", body: ByteBuffer(bytes: body), headers: h).status
            }
            let now = String(Int64(Date().timeIntervalSince1970 * 1000))
            #expect(try await post(try FakeX.fixture("aaa-direct-message-events.doc-example.json")) == .ok)
            var q = ConversationQuery(); q.statuses = ConversationStatus.allCases
            let dm = try #require(try await app.store.conversations.listConversations(q).conversations.first)
            #expect(dm.clock.needsReply)
            let answer: [String: Any] = [
                "for_user_id": "2244994945",
                "direct_message_events": [
                    [
                        "type": "message_create", "id": "1785620000000000999", "created_timestamp": now,
                        "message_create": [
                            "target": ["recipient_id": "3000000001"], "sender_id": "2244994945", "message_data": ["text": "返品の手順をお送りします"],
                        ],
                    ]
                ],
            ]
            #expect(try await post(answer) == .ok)
            #expect(try await post(answer) == .ok)
            let messages = try await app.store.conversations.messages(conversationId: dm.id)
            #expect(messages.map(\.kind) == [.inbound, .outbound] && messages[1].text == "返品の手順をお送りします")
            #expect(try await app.store.conversations.conversation(id: dm.id)?.clock.needsReply == false, "answered, even if not from Kotae")
            // A reply post to someone who never wrote to Kotae opens their public thread; a
            // post to everyone is nobody's conversation.
            let tweets: [String: Any] = [
                "for_user_id": "2244994945",
                "tweet_create_events": [
                    [
                        "id_str": "1785620000000000777", "text": "@taro ありがとうございます！", "timestamp_ms": now, "in_reply_to_user_id_str": "3000000002",
                        "user": ["id_str": "2244994945", "screen_name": "shop_support"],
                    ],
                    [
                        "id_str": "1785620000000000778", "text": "新商品のお知らせ", "timestamp_ms": now,
                        "user": ["id_str": "2244994945", "screen_name": "shop_support"],
                    ],
                    ["id_str": 42, "text": "an id that is not a string", "user": ["id_str": "3000000003"]],
                ],
            ]
            #expect(try await post(tweets) == .ok)
            let all = try await app.store.conversations.listConversations(q).conversations
            #expect(all.count == 2)
            let thread = try #require(all.first { $0.threadKey == "mentions:3000000002" })
            #expect(thread.isPublic && !thread.clock.needsReply)
            #expect(try await app.store.events(ofType: "x.unreadable").first?.data.contains("an id that is not a string") == true)
            // The customer reads the DM, deletes their mention; the account revokes Kotae.
            let later = String(Int64(Date().timeIntervalSince1970 * 1000) + 5000)
            #expect(
                try await post([
                    "for_user_id": "2244994945",
                    "direct_message_mark_read_events": [
                        [
                            "created_timestamp": later, "sender_id": "3000000001", "target": ["recipient_id": "2244994945"],
                            "last_read_event_id": "1785620000000000999",
                        ]
                    ],
                ]) == .ok)
            #expect(try await app.store.channelState.customerReadAt(conversationId: dm.id) != nil)
            #expect(try await post(try FakeX.fixture("aaa-tweet-create-events-mention.doc-example.json")) == .ok)
            let mention = try #require(
                try await app.store.conversations.listConversations(q).conversations.first { $0.threadKey == "mentions:3000000001" })
            let tweet = try #require(try await app.store.conversations.messages(conversationId: mention.id).first)
            #expect(
                try await post([
                    "for_user_id": "2244994945",
                    "tweet_delete_events": [
                        ["status": ["id": String(tweet.externalId!.dropFirst(4)), "user_id": "3000000001"], "timestamp_ms": later]
                    ],
                ]) == .ok)
            let deleted = try #require(try await app.store.conversations.message(id: tweet.id))
            #expect(deleted.authorChange == "remove" && deleted.text == tweet.text)
            #expect(
                try await post([
                    "for_user_id": "2244994945",
                    "user_event": [
                        "revoke": [
                            "date_time": "2026-11-23T10:00:00Z",
                            "target": ["app_id": "13090192"], "source": ["user_id": "2244994945"],
                        ]
                    ],
                ]) == .ok)
            #expect(try await app.store.inboxes.find(id: inbox)?.settings["credentialProblem"]?.contains("revoked") == true)
        }
    }
}
