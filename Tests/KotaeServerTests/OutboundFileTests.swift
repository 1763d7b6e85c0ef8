import Foundation
import HTTPTypes
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// An agent's picture on a social channel: carried where the platform takes it (LINE and
/// Messenger fetch it from a signed link to Kotae), refused with the reason where it does
/// not, and never silently dropped.
@Suite struct OutboundFileTests {
    static let publicURL = "https://kotae.example"
    static let lineSecret = "8c570fa6dd201bb328f1c1eac23a96d8"

    func png(_ name: String = "screenshot.png", bytes: Int = 0) -> [String: Any] {
        let data = FakeLINE.png + Data(repeating: 0, count: bytes)
        return ["filename": name, "contentType": "image/png", "dataBase64": data.base64EncodedString()]
    }

    func reply(_ app: TestApp, _ conversation: Int64, _ body: [String: Any]) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await app.admin(.post, "/api/v1/conversations/\(conversation)/reply", jsonString(body))
    }

    /// A LINE conversation with one customer message; the customer's reply token is spent so replies are pushed.
    func withLINE(publicURL: String? = Self.publicURL, _ body: @escaping @Sendable (TestApp, FakeLINE, Int64) async throws -> Void) async throws {
        let fake = FakeLINE()
        try await fake.start()
        defer { fake.stop() }
        let base = fake.base
        try await withTestApp(configure: {
            $0.lineAPIBase = base; $0.lineDataBase = base; $0.publicURL = publicURL
        }) { app in
            let inbox = try await app.makeInbox(
                channel: "line", credentials: ["channelSecret": Self.lineSecret, "channelAccessToken": fake.accessToken])
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let event = Data(
                #"{"destination":"Ubot","events":[{"type":"message","message":{"type":"text","id":"7001","text":"壊れていました"},"webhookEventId":"01FILES","timestamp":\#(now),"source":{"type":"user","userId":"Ufiles"},"replyToken":"token-7001","mode":"active"}]}"#
                    .utf8)
            let h: HTTPFields = [HTTPField.Name("x-line-signature")!: LINEWebhook.sign(body: event, channelSecret: Self.lineSecret)]
            #expect(try await app.request(.post, "/webhooks/line/\(inbox)", body: ByteBuffer(bytes: event), headers: h).status == .ok)
            var q = ConversationQuery(); q.statuses = ConversationStatus.allCases
            let c = try #require(try await app.store.conversations.listConversations(q).conversations.first).id
            try await body(app, fake, c)
        }
    }

    @Test func aPictureOnLINEGoesAsAnImageMessageFetchedFromASignedLink() async throws {
        try await withLINE { app, fake, c in
            let (status, out) = try await reply(app, c, ["text": "こちらの写真の通りでしょうか？", "attachments": [png()]])
            #expect(status == .created)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let sent = try #require(fake.requests.first { $0.path == "/v2/bot/message/reply" })
            let messages = try #require(sent.json["messages"] as? [[String: String]])
            #expect(messages.count == 2 && messages[0] == ["type": "text", "text": "こちらの写真の通りでしょうか？"])
            #expect(messages[1]["type"] == "image" && messages[1]["originalContentUrl"] == messages[1]["previewImageUrl"])
            let link = try #require(messages[1]["originalContentUrl"])
            #expect(link.hasPrefix(Self.publicURL + "/files/"))

            // What LINE fetches: the picture, without signing in.
            let path = String(link.dropFirst(Self.publicURL.count))
            let fetched = try await app.request(.get, path)
            #expect(fetched.status == .ok && Data(buffer: fetched.body) == FakeLINE.png)
            #expect(fetched.headers[.contentType] == "image/png")
            #expect(fetched.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            // A link with a changed signature, file or type opens nothing.
            let forged = path.replacingOccurrences(of: "sig=", with: "sig=0")
            #expect(try await app.request(.get, forged).status == .forbidden)
            let retyped = path.replacingOccurrences(of: "type=image%2Fpng", with: "type=text%2Fhtml")
            #expect(try await app.request(.get, retyped).status == .forbidden)
            #expect(try await app.request(.get, "/files/\(String(repeating: "a", count: 64))").status == .forbidden)
        }
    }

    @Test func filesLINECannotCarryAreRefusedBeforeAnythingIsStored() async throws {
        try await withLINE { app, fake, c in
            let before = try await app.store.conversations.messages(conversationId: c).count
            // The customer's profile picture is kept first; after that, no file may appear.
            let contact = try #require(try await app.store.conversations.conversation(id: c)).contactId
            #expect(try await eventually { try await app.store.contacts.contact(id: contact)?.avatarSHA256 != nil })
            func files() -> [String] { (FileManager.default.subpaths(atPath: app.services.config.dataDirectory + "/attachments") ?? []).sorted() }
            let stored = files()
            let pdf: [String: Any] = [
                "filename": "invoice.pdf", "contentType": "application/pdf", "dataBase64": Data("%PDF-1.4".utf8).base64EncodedString(),
            ]
            let (s1, e1) = try await reply(app, c, ["text": "請求書です", "attachments": [pdf]])
            #expect(s1 == .unprocessableContent && (e1["detail"] as? String)?.contains("LINEで送れる画像はJPEGとPNGです") == true)
            let (s2, e2) = try await reply(app, c, ["text": "写真です", "attachments": [png(bytes: 1024 * 1024)]])
            #expect(s2 == .unprocessableContent && (e2["detail"] as? String)?.contains("上限（1 MB）を超えています") == true)
            let five = (1...5).map { png("p\($0).png") }
            let (s3, e3) = try await reply(app, c, ["text": "写真です", "attachments": five])
            #expect(s3 == .unprocessableContent && (e3["detail"] as? String)?.contains("LINEは一度に5通まで") == true)
            #expect(try await app.store.conversations.messages(conversationId: c).count == before, "nothing stored")
            #expect(files() == stored, "no file written")
            #expect(!fake.requests.contains { $0.path.hasPrefix("/v2/bot/message/reply") || $0.path.hasPrefix("/v2/bot/message/push") })
            // Five pictures without text fit in one push.
            let (s4, _) = try await reply(app, c, ["text": "", "attachments": five])
            #expect(s4 == .created)
        }
    }

    /// Refusals are said in the agent's language; English for an English-speaking agent.
    @Test func refusalsSpeakBothLanguages() {
        #expect(
            OutboundFiles.Refusal.kind(filename: "a.pdf", route: .line).said(in: "en")
                == "a.pdf: LINE accepts JPEG and PNG pictures from a shop")
        #expect(OutboundFiles.Refusal.kind(filename: "a.pdf", route: .line).said(in: "ja") == "a.pdf：LINEで送れる画像はJPEGとPNGです")
        #expect(
            OutboundFiles.refusal([Attachment(sha256: "", filename: "x.png", contentType: "image/png", size: 10)], route: .x, hasText: true)
                == .textOnly(.x))
        #expect(
            OutboundFiles.refusal([Attachment(sha256: "", filename: "x.png", contentType: "image/png", size: 10)], route: .messenger, hasText: true)
                == nil)
        #expect(OutboundFiles.refusal([], route: .x, hasText: true) == nil)
    }

    @Test func withoutAPublicHTTPSAddressAPictureIsRefusedWithWhatToSet() async throws {
        try await withLINE(publicURL: nil) { app, _, c in
            let (status, e) = try await reply(app, c, ["text": "写真です", "attachments": [png()]])
            #expect(status == .unprocessableContent && (e["detail"] as? String)?.contains("KOTAE_PUBLIC_URL") == true)
            let (text, e2) = try await reply(app, c, ["text": "文字だけなら送れます"])
            #expect(text == .created, "\(e2)")
        }
    }

    /// Messenger takes one thing per message: the text, then each picture. When a picture
    /// fails, a retry sends only what is left; the page's echoes of them are not new messages.
    @Test func messengerSendsTextThenEachPictureAndARetrySendsOnlyTheRest() async throws {
        let tests = FacebookTests()
        try await tests.withPage(publicURL: Self.publicURL) { app, graph, inbox in
            let page = FacebookTests.page
            #expect(try await tests.deliver(app, inbox, tests.messenger("6000000000000321", mid: "m_need_photo", text: "どんな色ですか")) == .ok)
            let c = try #require(try await tests.inbound(app).first).conversationId

            // The text goes, the first picture is refused (the person is unavailable for a moment).
            try graph.fail(with: ["", "error-551-user-unavailable.doc-example.json"])
            let (status, out) = try await reply(app, c, ["text": "2色あります", "attachments": [png("green.png"), png("navy.png", bytes: 1)]])
            #expect(status == .created)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .failed })
            #expect(try await app.store.conversations.message(id: id)?.deliveryError?.contains("551") == true)
            #expect(try await app.request(.post, "/api/v1/messages/\(id)/retry", token: app.agentToken).status == .accepted)
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })

            let sends = graph.requests.filter { $0.path == "/v21.0/\(page)/messages" }
            #expect(sends.count == 4, "text, first picture (refused), first picture, second picture")
            #expect(
                NSDictionary(dictionary: sends[0].json)
                    == NSDictionary(dictionary: [
                        "recipient": ["id": "6000000000000321"], "messaging_type": "RESPONSE", "message": ["text": "2色あります"],
                    ]))
            #expect(sends.filter { ($0.json["message"] as? [String: Any])?["text"] != nil }.count == 1, "the text went once")
            let links = try sends.dropFirst().map { r -> String in
                let attachment = try #require((r.json["message"] as? [String: Any])?["attachment"] as? [String: Any])
                #expect(attachment["type"] as? String == "image" && r.json["messaging_type"] as? String == "RESPONSE")
                let payload = try #require(attachment["payload"] as? [String: Any])
                #expect(payload["is_reusable"] as? Bool == true)
                return try #require(payload["url"] as? String)
            }
            #expect(links.allSatisfy { $0.hasPrefix(Self.publicURL + "/files/") })
            #expect(links[0].contains("name=green.png") && links[1].contains("name=green.png") && links[2].contains("name=navy.png"))

            // Meta echoes every part the page sent: none becomes a message of its own.
            let count = try await app.store.conversations.messages(conversationId: c).count
            for n in 1...3 {
                let echo: [String: Any] = [
                    "sender": ["id": page], "recipient": ["id": "6000000000000321"], "timestamp": Int64(Date().timeIntervalSince1970 * 1000),
                    "message": [
                        "mid": "m_sent_\(n)", "is_echo": true, "attachments": [["type": "image", "payload": ["url": graph.cdn + "/p.png"]]],
                    ],
                ]
                #expect(try await tests.deliver(app, inbox, try tests.envelope(echo, cdn: graph.cdn)) == .ok)
            }
            #expect(try await app.store.conversations.messages(conversationId: c).count == count)
        }
    }

    /// A public answer on Facebook takes one picture (`attachment_url`); the first private
    /// reply to a comment, Instagram's public answers and X take text only.
    @Test func publicAnswersPrivateRepliesAndXCarryOnlyWhatTheirPlatformAllows() async throws {
        let tests = FacebookTests()
        try await tests.withPage(publicURL: Self.publicURL) { app, graph, inbox in
            let now = Int(Date().timeIntervalSince1970)
            let comment =
                #"{"object":"page","entry":[{"id":"\#(FacebookTests.page)","time":\#(now),"changes":[{"field":"feed","value":{"from":{"id":"7000000000000099","name":"Ken"},"post_id":"105000000000001_9","comment_id":"9_1","created_time":\#(now),"item":"comment","parent_id":"105000000000001_9","verb":"add","message":"どっちの色が人気？"}}]}]}"#
            #expect(try await tests.deliver(app, inbox, Data(comment.utf8)) == .ok)
            let c = try #require(try await tests.inbound(app).first).conversationId

            let (two, e2) = try await reply(app, c, ["text": "こちらです", "attachments": [png("a.png"), png("b.png", bytes: 1)]])
            #expect(two == .unprocessableContent && (e2["detail"] as? String)?.contains("画像は1枚です") == true)
            let (privately, e3) = try await reply(app, c, ["text": "詳細です", "private": true, "attachments": [png()]])
            #expect(privately == .unprocessableContent && (e3["detail"] as? String)?.contains("最初の非公開返信は文字1通のみ") == true)

            let (one, out) = try await reply(app, c, ["text": "緑が人気です！", "attachments": [png("green.png")]])
            #expect(one == .created)
            let id = ((out["message"] as! [String: Any])["id"] as! NSNumber).int64Value
            #expect(try await eventually { try await app.store.conversations.message(id: id)?.deliveryState == .sent })
            let answer = try #require(graph.requests.first { $0.path == "/v21.0/9_1/comments" })
            #expect(answer.json["message"] as? String == "緑が人気です！")
            #expect((answer.json["attachment_url"] as? String)?.hasPrefix(Self.publicURL + "/files/") == true)

            let x = try await app.makeInbox(channel: "x", settings: ["userId": "2244994945"], credentials: ["consumerSecret": XTests.secret])
            let dms = try JSONSerialization.data(withJSONObject: try FakeX.fixture("aaa-direct-message-events.doc-example.json"))
            let h: HTTPFields = [HTTPField.Name("x-twitter-webhooks-signature")!: XWebhook.sign(body: dms, consumerSecret: XTests.secret)]
            #expect(try await app.request(.post, "/webhooks/x/\(x)", body: ByteBuffer(bytes: dms), headers: h).status == .ok)
            var q = ConversationQuery(); q.statuses = ConversationStatus.allCases; q.inboxId = x
            let xc = try #require(try await app.store.conversations.listConversations(q).conversations.first).id
            let (onX, e4) = try await reply(app, xc, ["text": "写真です", "attachments": [png()]])
            #expect(onX == .unprocessableContent && (e4["detail"] as? String)?.contains("Xへの返信は文字のみ") == true)
        }
    }
}
