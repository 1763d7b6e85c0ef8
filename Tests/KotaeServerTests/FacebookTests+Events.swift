import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

/// Every kind of Messenger and Instagram event the corpus holds: each answered 200 and
/// kept in a form an agent can read; nothing a customer wrote is dropped or erased.
extension FacebookTests {
    /// A bare `messaging` item from the corpus in the Page envelope; links to Meta's CDN
    /// point at the fake's instead (tests have no internet).
    func envelope(_ item: [String: Any], object: String = "page", entry: String = FacebookTests.page, cdn: String) throws -> Data {
        let ms = Int64(Date().timeIntervalSince1970 * 1000)
        let body: [String: Any] = ["object": object, "entry": [["id": entry, "time": ms, "messaging": [item]]]]
        return try redirect(JSONSerialization.data(withJSONObject: body), to: cdn)
    }

    func redirect(_ body: Data, to cdn: String) -> Data {
        var s = String(decoding: body, as: UTF8.self)
        for host in [#"https:\/\/scontent"#, "https://lookaside.fbsbx.com", "https://scontent"] {
            s = s.replacingOccurrences(of: host, with: cdn + "/x?")
        }
        return Data(s.utf8)
    }

    func events(_ app: TestApp, _ type: String) async throws -> [[String: String]] {
        try await app.store.events(ofType: type).map { try JSONDecoder().decode([String: String].self, from: Data($0.data.utf8)) }
    }

    @Test func everyMessengerCallbackOfTheCorpusIsAnsweredAndKept() async throws {
        try await withPage { app, graph, inbox in
            for name in [
                "text_qr_callback.json", "attachment_callback_image.json", "attachment_callback_sticker.json",
                "attachment_callback_location.json", "attachment_callback_fallback.json", "postback_callback.json",
                "postback_callback_referral.json", "text_callback_prior_message.json", "read_callback.json",
                "delivery_callback.json", "echo_callback_text.json", "echo_callback_button.json", "policy_enforcement.json",
            ] {
                let item = try FakeGraph.fixture(name)
                #expect(try await deliver(app, inbox, try envelope(item, cdn: graph.cdn)) == .ok, "\(name)")
            }
            for name in ["regular_text_callback.json", "standby_callback.json"] {  // whole envelopes
                #expect(try await deliver(app, inbox, try FakeGraph.fixtureData(name)) == .ok, "\(name)")
            }
            let messages = try await inbound(app)
            let texts = Set(messages.filter { $0.kind == .inbound }.map(\.text))
            #expect(texts.contains("CLICK HERE [quick reply: some_payload]"))
            #expect(texts.contains("[location] Someone's Location 52.376232, 4.838296"))
            #expect(texts.contains("Check us out! https://www.facebook.com/Thisisus/"), "a shared link keeps its address")
            #expect(texts.contains("Thanks for messaging me!"))
            #expect(texts.contains("This is a text message"), "standby messages (another app owns the thread) are still the customer's")
            #expect(texts.contains { $0.hasPrefix("postback: Aan de slag") })
            // The photo and the sticker are fetched into attachments.
            let image = try #require(messages.first { $0.externalId == "fb:m:mid.$cAAFSuiOlE3doibGxAFiWxoQ_dosX" })
            #expect(try await eventually { try await app.store.conversations.message(id: image.id)?.attachments.first?.contentType == "image/png" })
            // Echoes from other apps (none listed as human): automated, sent, with the template's text.
            let echoes = messages.filter { $0.kind == .automated }
            #expect(Set(echoes.map(\.text)) == ["test test", "Button text"] && echoes.allSatisfy { $0.deliveryState == .sent })
            // The read receipt marks the conversation of the person who read.
            let reader = try #require(messages.first { $0.externalId == "fb:m:mid.$cAAFSuiOlE3doibGxAFiWxoQ_dosX" }).conversationId
            #expect(try await app.store.channelState.customerReadAt(conversationId: reader) == Date(timeIntervalSince1970: 1518439571400 / 1000.0))
            // Meta's policy block is shown to admins on the inbox.
            let problem = try await app.store.inboxes.find(id: inbox)?.settings["credentialProblem"]
            #expect(problem?.contains("The bot violated our Platform Policies") == true)
        }
    }

    /// Issue 11, part 5: a feed comment whose author Meta withheld is kept, not dropped.
    @Test func aFeedCommentWithoutItsAuthorIsKeptAsUnreadable() async throws {
        try await withPage { app, _, inbox in
            var body = try FakeGraph.fixture("page-feed-comment-add.doc-example.json")
            var entries = body["entry"] as! [[String: Any]]
            var changes = entries[0]["changes"] as! [[String: Any]]
            var value = changes[0]["value"] as! [String: Any]
            value["from"] = nil
            value["message"] = "作者の分からないコメント"
            changes[0]["value"] = value
            var withAuthor = try FakeGraph.fixture("page-feed-comment-add.doc-example.json")["entry"] as! [[String: Any]]
            changes.append((withAuthor[0]["changes"] as! [[String: Any]])[0])
            entries[0]["changes"] = changes
            body["entry"] = entries
            withAuthor = []
            #expect(try await deliver(app, inbox, try JSONSerialization.data(withJSONObject: body)) == .ok)
            #expect(try await inbound(app).map(\.text) == ["この商品の在庫はありますか？"], "the rest of the batch is stored")
            let kept = try await events(app, "facebook.unreadable")
            #expect(kept.count == 1)
            #expect(kept.first?["json"]?.contains("作者の分からないコメント") == true)
            #expect(kept.first?["reason"]?.contains("without its author (from)") == true)
        }
    }

    @Test func anEventOfAnUnknownShapeIsKeptAndTheRestOfTheBatchStored() async throws {
        try await withPage { app, _, inbox in
            let ms = Int64(Date().timeIntervalSince1970 * 1000)
            let body =
                #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(ms),"messaging":[{"sender":{"id":"6000000000000077"},"recipient":{"id":"\#(Self.page)"},"timestamp":"yesterday","message":{"mid":"m_odd","text":"odd"}},{"sender":{"id":"6000000000000077"},"recipient":{"id":"\#(Self.page)"},"timestamp":\#(ms),"message":{"mid":"m_fine","text":"届きましたか"}}]}]}"#
            #expect(try await deliver(app, inbox, Data(body.utf8)) == .ok, "one odd event must not make Meta redeliver the batch")
            #expect(try await inbound(app).map(\.text) == ["届きましたか"])
            let kept = try #require(try await events(app, "facebook.unreadable").first)
            #expect(kept["json"]?.contains("m_odd") == true && kept["json"]?.contains("yesterday") == true)
            // A redelivery keeps it once.
            #expect(try await deliver(app, inbox, Data(body.utf8)) == .ok)
            #expect(try await events(app, "facebook.unreadable").count == 1)
            // A body that is not a Graph envelope at all is refused (Meta will retry it).
            #expect(try await deliver(app, inbox, Data(#"{"entry":"nope"}"#.utf8)) == .badRequest)
        }
    }

    /// The page wrote first from the Page inbox on a phone: its echo opens the conversation,
    /// and the customer's answer lands in it.
    @Test func anEchoToSomeoneNewOpensTheirConversation() async throws {
        try await withPage { app, graph, inbox in
            // App 1 stands for the Page inbox: the shop listed it as a person's answers.
            _ = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["settings": ["humanAppIds": "1"]]))
            let ms = Int64(Date().timeIntervalSince1970 * 1000)
            let echo: [String: Any] = [
                "sender": ["id": Self.page], "recipient": ["id": "6000000000000555"], "timestamp": ms,
                "message": ["mid": "m_first_from_page", "is_echo": true, "app_id": 1, "text": "ご注文ありがとうございます。発送しました。"],
            ]
            #expect(try await deliver(app, inbox, try envelope(echo, cdn: graph.cdn)) == .ok)
            #expect(try await deliver(app, inbox, try envelope(echo, cdn: graph.cdn)) == .ok)
            let sent = try await inbound(app)
            #expect(sent.count == 1 && sent[0].kind == .outbound && sent[0].deliveryState == .sent)
            let conversation = try #require(try await app.store.conversations.conversation(id: sent[0].conversationId))
            #expect(!conversation.clock.needsReply && !conversation.isPublic)
            #expect(try await deliver(app, inbox, messenger("6000000000000555", mid: "m_reply_to_page", text: "ありがとう！")) == .ok)
            let all = try await inbound(app)
            #expect(Set(all.map(\.conversationId)) == [conversation.id], "one conversation")
            #expect(try await app.store.conversations.conversation(id: conversation.id)?.clock.needsReply == true)
        }
    }

    /// Meta's echo can overtake the Send API's own answer: the echo is the reply still being
    /// sent, which it marks sent (so no retry sends it twice), not a second message.
    @Test func anEchoThatOvertakesTheSendIsTheSameReply() async throws {
        try await withPage { app, graph, inbox in
            #expect(try await deliver(app, inbox, messenger("6000000000000432", mid: "m_race", text: "今日届きますか")) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            try graph.fail(with: ["error-4-app-rate-limit.doc-example.json"])  // our side never hears back in time
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "本日中にお届けします"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryError?.contains("Graph error 4") == true })
            let ms = Int64(Date().timeIntervalSince1970 * 1000)
            let echo: [String: Any] = [
                "sender": ["id": Self.page], "recipient": ["id": "6000000000000432"], "timestamp": ms,
                "message": ["mid": "m_echo_race", "is_echo": true, "text": "本日中にお届けします"],
            ]
            #expect(try await deliver(app, inbox, try envelope(echo, cdn: graph.cdn)) == .ok)
            let messages = try await app.store.conversations.messages(conversationId: c)
            #expect(messages.count == 2, "one reply, not two")
            let reply = try #require(try await app.store.conversations.message(id: id))
            #expect(reply.deliveryState == .sent && reply.externalId == "fb:m:m_echo_race" && reply.deliveryError == nil)
        }
    }

    /// A customer's edit shows beside what they first wrote; the first text stays.
    @Test func anEditedCommentShowsBothTexts() async throws {
        try await withPage { app, _, inbox in
            #expect(try await deliver(app, inbox, try FakeGraph.fixtureData("page-feed-comment-add.doc-example.json")) == .ok)
            #expect(try await deliver(app, inbox, try FakeGraph.fixtureData("page-feed-comment-edited.doc-example.json")) == .ok)
            let comment = try #require(try await inbound(app).first)
            #expect(comment.text == "この商品の在庫はありますか？")
            #expect(comment.authorChange == "edited" && comment.editedText == "この商品のMサイズの在庫はありますか？")
            let page = String(buffer: try await app.request(.get, "/conversations/\(comment.conversationId)", token: app.agentToken).body)
            #expect(page.contains("この商品の在庫はありますか？") && page.contains("お客様が編集しました") && page.contains("この商品のMサイズの在庫はありますか？"))
            #expect(try await deliver(app, inbox, try FakeGraph.fixtureData("page-feed-comment-remove.doc-example.json")) == .ok)
            let removed = try #require(try await app.store.conversations.message(id: comment.id))
            #expect(removed.authorChange == "remove" && removed.text == "この商品の在庫はありますか？")
            let after = String(buffer: try await app.request(.get, "/conversations/\(comment.conversationId)", token: app.agentToken).body)
            #expect(after.contains("お客様がこのコメントを削除しました"))
        }
    }

    /// A visitor's post on the Page is its author's public conversation: answered under it
    /// in public, and privately with `recipient.post_id` (a post is not a comment).
    @Test func aVisitorPostIsAnsweredInPublicAndPrivatelyByItsPostId() async throws {
        try await withPage { app, graph, inbox in
            let now = Int(Date().timeIntervalSince1970)
            let post = "\(Self.page)_900000000000555"
            let body =
                #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(now),"changes":[{"field":"feed","value":{"from":{"id":"7000000000000555","name":"佐藤 次郎"},"post_id":"\#(post)","created_time":\#(now),"item":"post","verb":"add","message":"自転車で雨の日に転びましたが、ライトのおかげで無事でした！"}}]}]}"#
            #expect(try await deliver(app, inbox, Data(body.utf8)) == .ok)
            let visitor = try #require(try await inbound(app).first)
            #expect(visitor.externalId == "fb:c:" + post)
            let conversation = try #require(try await app.store.conversations.conversation(id: visitor.conversationId))
            #expect(conversation.isPublic && conversation.clock.needsReply && conversation.contactName == "佐藤 次郎")
            #expect(try await app.replySent(conversation.id, ["text": "ご無事で何よりです！"]) != nil)
            #expect(graph.requests.contains { $0.path == "/v21.0/\(post)/comments" && $0.json["message"] as? String == "ご無事で何よりです！" })
            #expect(try await app.replySent(conversation.id, ["text": "お見舞いにクーポンをお送りします", "private": true]) != nil)
            let privateReply = try #require(graph.requests.first { $0.path == "/v21.0/\(Self.page)/messages" })
            #expect(
                NSDictionary(dictionary: privateReply.json)
                    == NSDictionary(dictionary: [
                        "recipient": ["post_id": post], "message": ["text": "お見舞いにクーポンをお送りします"],
                    ]))
        }
    }

    /// A read receipt shows the shop's private messages as read, live; a late or repeated
    /// receipt never moves it back.
    @Test func aReadReceiptShowsTheRepliesAsRead() async throws {
        try await withPage { app, graph, inbox in
            #expect(try await deliver(app, inbox, messenger("6000000000000888", mid: "m_read_1", text: "届きましたか？")) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "本日発送しました"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let sentAt = try #require(try await app.store.conversations.message(id: id)?.sentAt)
            func page() async throws -> String { String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body) }
            #expect(try await page().contains("delivery-sent"))
            func receipt(_ at: Date) throws -> Data {
                let ms = Int64(at.timeIntervalSince1970 * 1000)
                return try envelope(
                    ["sender": ["id": "6000000000000888"], "recipient": ["id": Self.page], "timestamp": ms, "read": ["watermark": ms]], cdn: graph.cdn
                )
            }
            #expect(try await deliver(app, inbox, try receipt(sentAt.addingTimeInterval(-60))) == .ok)
            #expect(try await !page().contains("delivery-read"), "read before the reply was sent")
            #expect(try await deliver(app, inbox, try receipt(sentAt.addingTimeInterval(1))) == .ok)
            let read = try await page()
            #expect(read.contains("delivery-read") && read.contains("既読"))
            #expect(try await deliver(app, inbox, try receipt(sentAt.addingTimeInterval(-60))) == .ok)
            #expect(try await page().contains("delivery-read"), "a late receipt does not move it back")
        }
    }

    /// A missing permission (Graph code 10, not the window) stops every reply of the page:
    /// the message says so and admins see it until a reply goes through.
    @Test func aMissingPermissionIsShownToAdminsUntilAReplyGoesThrough() async throws {
        try await withPage { app, graph, inbox in
            #expect(try await deliver(app, inbox, messenger("6000000000000999", mid: "m_perm", text: "在庫ありますか")) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            try graph.fail(with: ["error-10-permission.doc-example.json"])
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(c)/reply", jsonString(["text": "あります"]))
            let id = int(out["message"], "id")
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("lacks a permission") == true)
            #expect(try await app.store.inboxes.find(id: inbox)?.settings["credentialProblem"]?.contains("permission") == true)
            #expect(try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken).status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            // Cleared just after the message is marked sent.
            #expect(try await eventually { try await app.store.inboxes.find(id: inbox)?.settings["credentialProblem"] == nil })
        }
    }

    /// The page answered a comment from Facebook itself: the answer is the shop's reply (the
    /// customer is answered, not left in Unanswered), stored once; Kotae's own public reply
    /// coming back the same way is not a second message. A hide from Facebook shows too.
    @Test func thePagesAnswerFromFacebookCountsAsTheReply() async throws {
        try await withPage { app, graph, inbox in
            let now = Int(Date().timeIntervalSince1970)
            func feed(from: String, name: String, comment: String, parent: String, verb: String = "add", message: String) -> Data {
                Data(
                    #"{"object":"page","entry":[{"id":"\#(Self.page)","time":\#(now),"changes":[{"field":"feed","value":{"from":{"id":"\#(from)","name":"\#(name)"},"post_id":"\#(Self.page)_77","comment_id":"\#(comment)","created_time":\#(now),"item":"comment","parent_id":"\#(parent)","verb":"\#(verb)","message":"\#(message)"}}]}]}"#
                        .utf8)
            }
            #expect(
                try await deliver(
                    app, inbox, feed(from: "7000000000000701", name: "Aki", comment: "77_1", parent: "\(Self.page)_77", message: "送料はいくらですか")) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            var unanswered = ConversationQuery(); unanswered.unanswered = true
            #expect(try await app.store.conversations.listConversations(unanswered).conversations.map(\.id) == [c])
            let answer = feed(from: Self.page, name: "Shop", comment: "77_1_900", parent: "77_1", message: "全国一律500円です")
            #expect(try await deliver(app, inbox, answer) == .ok)
            #expect(try await deliver(app, inbox, answer) == .ok)
            let messages = try await app.store.conversations.messages(conversationId: c)
            #expect(messages.map(\.kind) == [.inbound, .outbound] && messages[1].text == "全国一律500円です" && messages[1].deliveryState == .sent)
            #expect(try await app.store.conversations.listConversations(unanswered).conversations.isEmpty, "answered, even if not from Kotae")
            // The page's comment on its own post (not an answer) is nobody's conversation.
            #expect(
                try await deliver(app, inbox, feed(from: Self.page, name: "Shop", comment: "77_2", parent: "\(Self.page)_77", message: "新作入荷！"))
                    == .ok)
            #expect(try await app.store.conversations.messages(conversationId: c).count == 2)

            // Kotae's own public reply comes back as the page's comment: still one message.
            #expect(
                try await deliver(
                    app, inbox, feed(from: "7000000000000701", name: "Aki", comment: "77_3", parent: "\(Self.page)_77", message: "沖縄もですか")) == .ok)
            let sentId = try #require(try await app.replySent(c, ["text": "沖縄も同じです"])?.externalId)
            #expect(
                try await deliver(
                    app, inbox, feed(from: Self.page, name: "Shop", comment: String(sentId.dropFirst(5)), parent: "77_3", message: "沖縄も同じです")) == .ok)
            #expect(try await app.store.conversations.messages(conversationId: c).count == 4)

            // Hidden on Facebook by someone at the shop: Kotae shows it hidden, then shown again.
            let first = messages[0]
            #expect(
                try await deliver(
                    app, inbox,
                    feed(from: "7000000000000701", name: "Aki", comment: "77_1", parent: "\(Self.page)_77", verb: "hide", message: "送料はいくらですか"))
                    == .ok)
            #expect(try await app.store.conversations.message(id: first.id)?.hiddenReason == "platform")
            let page = String(buffer: try await app.request(.get, "/conversations/\(c)", token: app.agentToken).body)
            #expect(page.contains("プラットフォーム上で非表示"))
            #expect(
                try await deliver(
                    app, inbox,
                    feed(from: "7000000000000701", name: "Aki", comment: "77_1", parent: "\(Self.page)_77", verb: "unhide", message: "送料はいくらですか"))
                    == .ok)
            #expect(try await app.store.conversations.message(id: first.id)?.hiddenReason == nil)
        }
    }

    /// Messenger's webhooks carry only an id: the User Profile API names the customer and
    /// their picture is kept, once per contact.
    @Test func aMessengerCustomerIsNamedFromTheirProfileAndTheirPictureKept() async throws {
        try await withPage { app, graph, inbox in
            #expect(try await deliver(app, inbox, messenger("6000000000000246", mid: "m_who_1", text: "こんにちは")) == .ok)
            #expect(try await deliver(app, inbox, messenger("6000000000000246", mid: "m_who_2", text: "質問です")) == .ok)
            let c = try #require(try await inbound(app).first).conversationId
            let contact = try #require(try await app.store.conversations.conversation(id: c)).contactId
            #expect(try await eventually { try await app.store.contacts.contact(id: contact)?.avatarSHA256 != nil })
            #expect(try await app.store.contacts.contact(id: contact)?.name == "山田 花子")
            let lookups = graph.requests.filter { $0.method == "GET" && $0.path == "/v21.0/6000000000000246" }
            #expect(lookups.count == 1, "once per contact, not per message")
            #expect(lookups[0].query == "fields=name,first_name,last_name,profile_pic&access_token=PAGE_ACCESS_TOKEN")
        }
    }

    func withInstagram(appSecret: String = FacebookTests.appSecret, _ body: @escaping @Sendable (TestApp, FakeGraph, Int64) async throws -> Void)
        async throws
    {
        let fake = FakeGraph()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: { $0.graphAPIBase = base }) { app in
            let inbox = try await app.makeInbox(
                channel: "instagram", settings: ["accountId": "17841400000000001"],
                credentials: [
                    "appSecret": appSecret, "verifyToken": "v", "accessToken": fake.pageToken,
                ])
            try await body(app, fake, inbox)
        }
    }

    @Test func instagramStoryRepliesEchoesSeenPostbacksAndUnsentMessages() async throws {
        try await withInstagram { app, graph, inbox in
            func fixture(_ name: String) throws -> Data { redirect(try FakeGraph.fixtureData("../instagram/" + name), to: graph.cdn) }
            // The shop wrote first from the Instagram app: the echo opens the conversation.
            #expect(try await deliver(app, inbox, try fixture("message-echo.doc-example.json")) == .ok)
            let echo = try #require(try await inbound(app).first)
            #expect(echo.kind == .outbound && echo.text == "はい、可能です。" && echo.externalId == "ig:m:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQ0")

            // A reply to a story says so and keeps the story's picture (stories vanish after a day).
            #expect(try await deliver(app, inbox, try fixture("messages-story-reply.doc-example.json")) == .ok)
            let story = try #require(try await inbound(app).first { $0.kind == .inbound })
            #expect(story.text == "[story reply] Is this still available?" && story.conversationId == echo.conversationId)
            #expect(try await eventually { try await app.store.conversations.message(id: story.id)?.attachments.count == 1 })
            // Known by an IGSID only: named by their Instagram handle, as their comments are.
            let customer = try #require(try await app.store.conversations.conversation(id: story.conversationId)).contactId
            #expect(try await eventually { try await app.store.contacts.contact(id: customer)?.name == "hanako.y" })
            #expect(
                graph.requests.contains {
                    $0.method == "GET" && $0.path == "/v21.0/8000000000000001" && $0.query.hasPrefix("fields=name,username,profile_pic&")
                })

            #expect(try await deliver(app, inbox, try fixture("messages-image.doc-example.json")) == .ok)
            #expect(try await deliver(app, inbox, try fixture("messaging-postback.doc-example.json")) == .ok)
            #expect(try await inbound(app).contains { $0.text == "postback: Track order (TRACK_ORDER)" })
            // Instagram's seen names a message rather than a watermark.
            #expect(try await deliver(app, inbox, try fixture("messaging-seen.doc-example.json")) == .ok)
            #expect(
                try await app.store.channelState.customerReadAt(conversationId: story.conversationId)
                    == Date(timeIntervalSince1970: 1714557600400 / 1000.0))

            // The customer unsends the story reply: marked, not erased.
            let unsend =
                #"{"object":"instagram","entry":[{"id":"17841400000000001","time":1714557700500,"messaging":[{"sender":{"id":"8000000000000001"},"recipient":{"id":"17841400000000001"},"timestamp":1714557700400,"message":{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQz","is_deleted":true}}]}]}"#
            #expect(try await deliver(app, inbox, Data(unsend.utf8)) == .ok)
            let unsent = try #require(try await app.store.conversations.message(id: story.id))
            #expect(unsent.authorChange == "unsent" && unsent.text == "[story reply] Is this still available?")
            let page = String(buffer: try await app.request(.get, "/conversations/\(story.conversationId)", token: app.agentToken).body)
            #expect(page.contains("送信を取り消しました") && page.contains("Is this still available?"))

            // A reply among comments on a reel is its author's public conversation.
            #expect(try await deliver(app, inbox, try fixture("comments-reply.doc-example.json")) == .ok)
            let reply = try #require(try await inbound(app).first { $0.externalId == "ig:c:17860000000000012" })
            let conversation = try #require(try await app.store.conversations.conversation(id: reply.conversationId))
            #expect(conversation.isPublic && conversation.contactName == "taro.s")
            #expect(Set(try await inbound(app).map(\.externalId)).count == 5)
            // The account answers taro.s from the Instagram app: the shop's reply in his conversation.
            let answer =
                #"{"object":"instagram","entry":[{"id":"17841400000000001","time":1714557900,"changes":[{"field":"comments","value":{"from":{"id":"17841400000000001","username":"shop"},"media":{"id":"17890000000000010"},"id":"17860000000000099","parent_id":"17860000000000012","text":"@taro.s 全色ございます"}}]}]}"#
            #expect(try await deliver(app, inbox, Data(answer.utf8)) == .ok)
            let replies = try await app.store.conversations.messages(conversationId: conversation.id)
            #expect(replies.last?.kind == .outbound && replies.last?.text == "@taro.s 全色ございます")
            #expect(try await app.store.conversations.conversation(id: conversation.id)?.clock.needsReply == false)
        }
    }

    @Test func instagramSignatureVectorOfTheCorpus() async throws {
        let v = try FakeGraph.fixture("../instagram/x-hub-signature-256.doc-example.json")
        let body = Data((v["raw_body"] as! String).utf8), header = v["header_value"] as? String, secret = v["app_secret"] as! String
        try await withInstagram(appSecret: secret) { (app: TestApp, _: FakeGraph, inbox: Int64) async throws in
            #expect(try await deliver(app, inbox, body + Data(" ".utf8), signature: header) == .unauthorized)
            #expect(try await deliver(app, inbox, body, signature: nil) == .unauthorized)
            #expect(try await inbound(app).isEmpty)
            #expect(try await deliver(app, inbox, body, signature: header) == .ok)
            #expect(try await inbound(app).map(\.text) == ["サイズ交換できますか？"])
        }
    }
}
