import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import KotaeCore
import KotaeStore
import KotaeTesting
import Logging
import NIOCore
import Testing

@testable import KotaeServer

/// A widget as the server sees it: a WebSocket to `/chat/socket`, frames up and down.
final class WidgetSocket: Sendable {
    let frames = Locked<[[String: Any]]>([])
    let closed = Locked(false)
    private let writer = Locked<WebSocketOutboundWriter?>(nil)
    private let task = Locked<Task<Void, any Error>?>(nil)

    static func open(port: Int, inbox: Int64) async throws -> WidgetSocket {
        let socket = WidgetSocket()
        socket.task.withLock {
            $0 = Task { [socket] in
                defer { socket.closed.withLock { $0 = true } }
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/chat/socket?inbox=\(inbox)",
                    logger: Logger(label: "widget-test")
                ) { inbound, outbound, _ in
                    socket.writer.withLock { $0 = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let s) = message, let obj = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] {
                            socket.frames.withLock { $0.append(obj) }
                        }
                    }
                }
            }
        }
        _ = try await eventually { socket.writer.withLock { $0 != nil } || socket.closed.withLock { $0 } }
        return socket
    }

    func send(_ frame: [String: Any]) async throws {
        guard let w = writer.withLock({ $0 }) else { throw CancellationError() }
        try await w.write(.text(jsonString(frame)))
    }

    /// Says hello and waits for the welcome (or the refusal).
    @discardableResult
    func hello(_ extra: [String: Any] = [:]) async throws -> [String: Any] {
        try await send(["t": "hello", "locale": "ja", "page": ["url": "https://shop.example/items/1", "title": "自転車"]].merging(extra) { $1 })
        _ = try await eventually { self.first("welcome") != nil || self.first("error") != nil }
        return first("welcome") ?? first("error") ?? [:]
    }

    func first(_ type: String) -> [String: Any]? { frames.withLock { $0.first { $0["t"] as? String == type } } }
    func all(_ type: String) -> [[String: Any]] { frames.withLock { $0.filter { $0["t"] as? String == type } } }
    /// The messages received, by id (each once).
    var messages: [[String: Any]] { all("message").compactMap { $0["message"] as? [String: Any] } }
    func texts(from: String? = nil) -> [String] {
        messages.filter { from == nil || $0["from"] as? String == from }.compactMap { $0["text"] as? String }
    }

    func close() { task.withLock { $0?.cancel() } }
}

@Suite struct ChatWidgetTests {
    static func chatInbox(_ app: TestApp, settings: [String: String] = [:], secret: String? = nil) async throws -> Int64 {
        try await app.makeInbox(channel: "chat", settings: settings, credentials: secret.map { ["identitySecret": $0] })
    }

    func conversations(_ app: TestApp, inbox: Int64) async throws -> [Conversation] {
        var q = ConversationQuery()
        q.inboxId = inbox
        q.statuses = ConversationStatus.allCases
        return try await app.store.conversations.listConversations(q).conversations
    }

    @Test func aVisitorWritesAnAgentAnswersAndTheVisitorSeesItLive() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { widget.close() }
            let welcome = try await widget.hello()
            let token = try #require(welcome["token"] as? String)
            #expect(token.hasPrefix("a"))

            try await widget.send(["t": "send", "cid": "c-first-0001", "text": "サイズ交換はできますか?"])
            #expect(try await eventually { widget.first("ack") != nil })
            let ack = try #require(widget.first("ack"))
            #expect(ack["cid"] as? String == "c-first-0001" && ack["thread"] as? String == "c-first-0001")
            let stored = try #require(try await app.store.conversations.message(id: (ack["id"] as! NSNumber).int64Value))
            #expect(stored.text == "サイズ交換はできますか?" && stored.kind == .inbound)
            let conversation = try #require(try await app.store.conversations.conversation(id: stored.conversationId))
            #expect(conversation.channel == .chat && conversation.clock.needsReply)
            #expect(conversation.contactName == "訪問者 " + token.dropFirst().prefix(6))
            // The agent sees the page the visitor was on.
            let visitor = try #require(try await app.store.chatVisitors.visitor(inbox: inbox, key: String(token.prefix(33))))
            #expect(visitor.pages.map(\.url) == ["https://shop.example/items/1"])
            // …and the next page they open, newest first, on the conversation's page.
            try await widget.send(["t": "page", "page": ["url": "https://shop.example/cart", "title": "カート <b>"]])
            #expect(try await eventually { try await app.store.chatVisitors.visitor(inbox: inbox, key: visitor.key)?.pages.count == 2 })
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation.id)", token: app.adminToken).body)
            let trail = try #require(page.range(of: "id=\"visitor-pages\"").map { String(page[$0.upperBound...].prefix(600)) })
            #expect(
                trail.contains("カート &lt;b&gt;")
                    && trail.range(of: "https://shop.example/cart")!.lowerBound < trail.range(of: "https://shop.example/items/1")!.lowerBound)

            _ = try #require(try await app.replySent(conversation.id, ["text": "はい、未使用でしたら交換できます。"]))
            #expect(try await eventually { widget.texts(from: "shop") == ["はい、未使用でしたら交換できます。"] })
            // The visitor's own message came back once, marked with its cid.
            #expect(widget.messages.filter { $0["cid"] as? String == "c-first-0001" }.count == 1)
        }
    }

    @Test func aMessageSentAgainAfterTheSocketDropsIsStoredOnceAndTheWidgetCatchesUpFromWhereItWas() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let first = try await WidgetSocket.open(port: port, inbox: inbox)
            let token = try #require(try await first.hello()["token"] as? String)
            try await first.send(["t": "send", "cid": "drop-msg-0001", "text": "届く?"])
            // The ack, then the message itself as the conversation shows it.
            #expect(try await eventually { first.first("ack") != nil && !first.messages.isEmpty })
            let seen = try #require(first.messages.last?["id"] as? Int)
            let conversation = try #require(try await conversations(app, inbox: inbox).first)
            first.close()

            // While the widget is away, the agent answers twice.
            _ = try await app.replySent(conversation.id, ["text": "届いています。"])
            _ = try await app.replySent(conversation.id, ["text": "ほかにご質問は?"])

            // The widget comes back with its token and the newest id it has, and resends the
            // message whose ack it never got.
            let second = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { second.close() }
            let welcome = try await second.hello(["token": token, "since": seen])
            #expect((welcome["threads"] as? [[String: Any]])?.map { $0["thread"] as? String } == ["drop-msg-0001"])
            #expect(try await eventually { second.texts() == ["届いています。", "ほかにご質問は?"] })
            try await second.send(["t": "send", "cid": "drop-msg-0001", "text": "届く?"])
            #expect(try await eventually { second.first("ack") != nil })
            #expect((second.first("ack")?["id"] as? Int) == seen)
            let stored = try await app.store.conversations.messages(conversationId: conversation.id).filter { $0.kind == .inbound }
            #expect(stored.map(\.text) == ["届く?"])
            // Nothing arrived twice on the widget either.
            let ids = second.messages.compactMap { $0["id"] as? Int }
            #expect(ids.count == Set(ids).count)
        }
    }

    @Test func aVisitorKeepsSeveralConversationsEachWithItsHistory() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            let token = try #require(try await widget.hello()["token"] as? String)
            try await widget.send(["t": "send", "cid": "thread-a-001", "text": "配送について"])
            try await widget.send(["t": "send", "cid": "thread-b-001", "text": "在庫について"])
            try await widget.send(["t": "send", "cid": "thread-a-002", "thread": "thread-a-001", "text": "追記です"])
            #expect(try await eventually { widget.all("ack").count == 3 })
            widget.close()
            let list = try await conversations(app, inbox: inbox)
            #expect(list.count == 2)

            let again = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { again.close() }
            let threads = try #require(try await again.hello(["token": token])["threads"] as? [[String: Any]])
            #expect(Set(threads.compactMap { $0["thread"] as? String }) == ["thread-a-001", "thread-b-001"])
            #expect(try await eventually { again.messages.count == 3 })
            #expect(again.messages.filter { $0["thread"] as? String == "thread-a-001" }.compactMap { $0["text"] as? String } == ["配送について", "追記です"])
        }
    }

    @Test func aForgedTokenOrCustomerSignatureIsRefusedAndASignedCustomerIsTheirContact() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let secret = "shop-identity-secret"
            let inbox = try await Self.chatInbox(app, secret: secret)

            // A token altered by one character.
            let real = try await WidgetSocket.open(port: port, inbox: inbox)
            let token = try #require(try await real.hello()["token"] as? String)
            real.close()
            let forged = try await WidgetSocket.open(port: port, inbox: inbox)
            let refusal = try await forged.hello(["token": String(token.dropLast()) + (token.last == "0" ? "1" : "0")])
            #expect(refusal["code"] as? String == "identity_refused")
            #expect(try await eventually { forged.closed.withLock { $0 } })

            // A customer signed with another secret, or with the right one for another address.
            func hash(_ text: String, _ key: String) -> String {
                Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(key.utf8))))
            }
            for user in [
                ["id": "cust-42", "email": "hanako@example.jp", "hash": hash("cust-42:hanako@example.jp", "wrong-secret")],
                ["id": "cust-42", "email": "boss@example.jp", "hash": hash("cust-42:hanako@example.jp", secret)],
            ] {
                let w = try await WidgetSocket.open(port: port, inbox: inbox)
                #expect(try await w.hello(["user": user])["code"] as? String == "identity_refused")
                w.close()
            }

            // Signed correctly: the visitor is the contact with that address, on any device.
            let contact = try await app.ingest(inbox: try await app.makeInbox(), externalId: "mail-1", contact: "hanako@example.jp", text: "注文しました")
            _ = contact
            let user = ["id": "cust-42", "email": "hanako@example.jp", "name": "花子", "hash": hash("cust-42:hanako@example.jp", secret)]
            let w = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { w.close() }
            let welcome = try await w.hello(["user": user])
            #expect(welcome["t"] as? String == "welcome" && welcome["token"] == nil && welcome["email"] as? String == "hanako@example.jp")
            try await w.send(["t": "send", "cid": "signed-0001", "text": "注文の件です"])
            #expect(try await eventually { w.first("ack") != nil })
            let c = try #require(try await conversations(app, inbox: inbox).first)
            let known = try #require(try await app.store.contacts.contact(id: c.contactId))
            #expect(known.identities.contains(ContactIdentity(channel: "email", externalId: "hanako@example.jp")))
        }
    }

    @Test func badInputIsRefusedWithItsReasonAndNothingIsStored() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { widget.close() }
            try await widget.send(["t": "send", "cid": "before-hello", "text": "x"])
            #expect(try await eventually { widget.first("error")?["code"] as? String == "hello_first" })
            try await widget.hello()
            try await widget.send(["t": "send", "cid": "long-000001", "text": String(repeating: "あ", count: 5_001)])
            try await widget.send(["t": "send", "cid": "bad", "text": "短いcid"])
            try await widget.send(["t": "send", "cid": "file-000001", "text": "x", "files": ["0123.image/png.1.eA==.forged"]])
            try await widget.send(["t": "send", "cid": "empty-00001", "text": "   "])
            try await widget.send(["t": "email", "email": "not an address"])
            #expect(
                try await eventually {
                    Set(widget.all("error").compactMap { $0["code"] as? String }).isSuperset(of: [
                        "too_long", "cid_invalid", "file_invalid", "empty", "email_invalid",
                    ])
                })
            #expect(try await conversations(app, inbox: inbox).isEmpty)

            // Script in a message is kept as the text it is (the widget and the desk show it as text).
            try await widget.send(["t": "send", "cid": "script-0001", "text": "<script>alert(1)</script>"])
            #expect(try await eventually { widget.texts(from: "visitor") == ["<script>alert(1)</script>"] })
        }
    }

    @Test func aFloodFromOneVisitorIsLimitedAndTheRestIsRefusedWithTheWait() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { widget.close() }
            try await widget.hello()
            for i in 0..<30 { try await widget.send(["t": "send", "cid": String(format: "flood-%05d", i), "thread": "flood-00000", "text": "\(i)"]) }
            #expect(try await eventually { widget.all("ack").count + widget.all("error").count == 30 })
            #expect(widget.all("ack").count == 20)
            let limited = widget.all("error")
            #expect(limited.count == 10 && limited.allSatisfy { $0["code"] as? String == "rate_limited" && ($0["retryAfter"] as? Int ?? 0) > 0 })
            let c = try #require(try await conversations(app, inbox: inbox).first)
            #expect(try await app.store.conversations.messages(conversationId: c.id).filter { $0.kind == .inbound }.count == 20)
        }
    }

    @Test func onlyTheShopsSitesMayOpenTheWidget() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app, settings: ["allowedOrigins": "https://shop.example"])
            // The WebSocket handshake as a browser on each site makes it.
            let handshake = { (origin: String) in
                try await StreamTests().handshakeAt(port: port, path: "/chat/socket?inbox=\(inbox)", [("Origin", origin)])
            }
            // (Hummingbird answers a refused upgrade 400.)
            #expect(try await handshake("https://evil.example") == .badRequest)
            #expect(try await handshake("https://shop.example") == .switchingProtocols)
            #expect(try await handshake("https://SHOP.example") == .switchingProtocols)
            // The widget's HTTP routes answer the shop's site with CORS, and refuse another.
            let search = { (origin: String) in
                try await app.client.execute(uri: "/chat/help?inbox=\(inbox)&q=x", method: .get, headers: [.origin: origin])
            }
            let ok = try await search("https://shop.example")
            #expect(ok.status == .ok && ok.headers[.accessControlAllowOrigin] == "https://shop.example")
            let refused = try await search("https://evil.example")
            #expect(refused.status == .forbidden && refused.headers[.accessControlAllowOrigin] == nil)
            // A setting that is not an origin is refused with its field.
            let (status, body) = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", #"{"settings":{"allowedOrigins":"shop.example/path"}}"#)
            #expect(status == .unprocessableContent && "\(body)".contains("allowedOrigins"))
        }
    }

    @Test func theBotAnswersOnTheWidgetAndHandsAnOrderQuestionToAPersonWhoMayAnswerByEmail() async throws {
        try await withTestApp(configure: { $0.publicURL = "https://help.midori.example" }) { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app, settings: ["faqBot": "true"])
            _ = try await HelpCenterTests.create(
                app, "articles", ["locale": "ja", "title": "送料はいくらですか?", "status": "published", "body": "全国一律660円です。", "synonyms": ["配送料"]])
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { widget.close() }
            let welcome = try await widget.hello()
            // No agent has Kotae open: the widget says so rather than promise a quick reply.
            #expect((welcome["availability"] as? [String: Any])?["online"] as? Bool == false)
            try await widget.send(["t": "send", "cid": "bot-q-00001", "text": "送料はいくらですか？"])
            #expect(try await eventually(timeout: 20) { widget.texts(from: "bot").first?.hasPrefix("全国一律660円です。") == true })
            // The bot answered: no "leave your address" on top of its answer.
            #expect(widget.first("askEmail") == nil)

            try await widget.send(["t": "send", "cid": "bot-q-00002", "thread": "bot-q-00001", "text": "注文番号 #1234 はいつ届きますか"])
            #expect(try await eventually(timeout: 20) { widget.first("askEmail") != nil })
            let c = try #require(try await conversations(app, inbox: inbox).first)
            #expect(try await app.store.events(conversationId: c.id).contains { $0.type == "bot.handOff" })
            try await widget.send(["t": "email", "email": "visitor@example.jp"])
            #expect(try await eventually { widget.first("email")?["email"] as? String == "visitor@example.jp" })
        }
    }

    @Test func aReplyTheVisitorDidNotSeeInTheWidgetIsEmailedAndOneTheySawIsNot() async throws {
        try await EmailReplyTests.withMail { app, sink, email in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app, settings: ["emailInboxId": String(email), "emailAfterMinutes": "1"])
            let widget = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { widget.close() }
            try await widget.hello()
            try await widget.send(["t": "send", "cid": "mail-later-01", "text": "在庫はありますか?"])
            try await widget.send(["t": "email", "email": "visitor@example.jp"])
            #expect(try await eventually { widget.first("email") != nil })
            let c = try #require(try await conversations(app, inbox: inbox).first)
            let job = EmailUnseenChatReplyJob(store: app.store, email: try #require(app.services.channels.adapter(for: .email)))

            // Seen in the widget: the visitor read it there, so no mail.
            let seen = try #require(try await app.replySent(c.id, ["text": "在庫はございます。"]))
            #expect(try await eventually { widget.texts(from: "shop").contains("在庫はございます。") })
            try await widget.send(["t": "read", "thread": "mail-later-01"])
            #expect(try await eventually { try await app.store.channelState.customerReadAt(conversationId: c.id) != nil })
            _ = try await job.run(EmailUnseenChatReply(messageId: seen.id))
            #expect(try sink.received().isEmpty)

            // The visitor left before the next one: it goes by email, once the delay has passed.
            widget.close()
            let unseen = try #require(try await app.replySent(c.id, ["text": "明日発送いたします。"]))
            let queued = try await app.store.jobs.list(state: .queued).filter { $0.kind == EmailUnseenChatReply.kind }
            #expect(queued.count == 2 && queued.allSatisfy { $0.runAt > Date().addingTimeInterval(30) })
            _ = try await job.run(EmailUnseenChatReply(messageId: unseen.id))
            let mails = try sink.received()
            #expect(mails.count == 1)
            let parsed = try await sink.parsed(try #require(mails.first?.raw))
            #expect(mails.first?.envelope["to"] as? [String] == ["visitor@example.jp"])
            #expect("\(parsed["text"] ?? "")".contains("明日発送いたします。") && !"\(parsed["text"] ?? "")".contains("在庫はございます。"))
            #expect(
                try await app.store.events(conversationId: c.id).filter { $0.type == "chat.emailed" }.map(\.data).first?.contains(
                    "visitor@example.jp") == true)

            // The visitor answers the mail: it goes on in the same conversation, not a new one in the email inbox.
            let ours = try #require(parsed["message_id"] as? String)
            let answer = """
                From: Visitor <visitor@example.jp>
                To: \(EmailIntakeTests.shop)
                Subject: Re: 在庫はありますか?
                Date: Wed, 2 Dec 2026 10:00:00 +0900
                Message-ID: <answer-1@example.jp>
                In-Reply-To: \(ours)
                References: \(ours)
                Content-Type: text/plain; charset=utf-8

                では2つお願いします。
                """
            let (status, out) = try await EmailIntakeTests.post(app, email, answer)
            #expect(status == .created)
            #expect((out["conversationId"] as? NSNumber)?.int64Value == c.id)
            #expect(try await app.store.conversations.messages(conversationId: c.id).last?.text.hasPrefix("では2つお願いします。") == true)
            #expect(try await conversations(app, inbox: email).isEmpty)
        }
    }

    @Test func aVisitorSendsAPictureThatOnlyTheyCouldHaveUploaded() async throws {
        try await withTestApp { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
            func upload(_ token: String?, type: String = "image/png", body: Data) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: type, HTTPField.Name("X-Kotae-Filename")!: "%E5%86%99%E7%9C%9F.png"]
                if let token { headers[HTTPField.Name("X-Kotae-Upload")!] = token }
                return try await app.client.execute(uri: "/chat/files?inbox=\(inbox)", method: .post, headers: headers, body: ByteBuffer(data: body))
            }
            let a = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { a.close() }
            let uploadToken = try #require(try await a.hello()["upload"] as? String)
            #expect(try await upload(nil, body: png).status == .unauthorized)
            #expect(try await upload(uploadToken + "x", body: png).status == .unauthorized)
            #expect(try await upload(uploadToken, type: "text/html", body: Data("<script>".utf8)).status == .unprocessableContent)
            #expect(try await upload(uploadToken, body: Data()).status == .unprocessableContent)
            let ok = try await upload(uploadToken, body: png)
            #expect(ok.status == .ok)
            let file = try #require((try JSONSerialization.jsonObject(with: Data(buffer: ok.body)) as? [String: Any])?["file"] as? String)

            // Another visitor cannot send it.
            let b = try await WidgetSocket.open(port: port, inbox: inbox)
            defer { b.close() }
            try await b.hello()
            try await b.send(["t": "send", "cid": "stolen-00001", "files": [file]])
            #expect(try await eventually { b.first("error")?["code"] as? String == "file_invalid" })

            try await a.send(["t": "send", "cid": "picture-0001", "text": "この傷です", "files": [file]])
            #expect(try await eventually { a.messages.first?["files"] != nil })
            let sent = try #require((a.messages.first?["files"] as? [[String: Any]])?.first)
            #expect(sent["name"] as? String == "写真.png" && sent["type"] as? String == "image/png")
            let url = try #require(sent["url"] as? String)
            #expect(url.hasPrefix("/files/"))
            let fetched = try await app.client.execute(uri: url, method: .get)
            #expect(fetched.status == .ok && Data(buffer: fetched.body) == png)
            let c = try #require(try await conversations(app, inbox: inbox).first)
            #expect(try await app.store.conversations.messages(conversationId: c.id).first?.attachments.map(\.filename) == ["写真.png"])
        }
    }

    @Test func oneNetworkAddressIsLimitedAcrossItsVisitors() async throws {
        try await withTestApp(configure: { $0.chatMessagesPerAddress = 5 }) { app in
            let port = try #require(app.client.port)
            let inbox = try await Self.chatInbox(app)
            let first = try await WidgetSocket.open(port: port, inbox: inbox)
            let second = try await WidgetSocket.open(port: port, inbox: inbox)
            defer {
                first.close()
                second.close()
            }
            try await first.hello()
            try await second.hello()
            for i in 0..<3 { try await first.send(["t": "send", "cid": "first-0000\(i)", "thread": "first-00000", "text": "\(i)"]) }
            #expect(try await eventually { first.all("ack").count == 3 })
            for i in 0..<3 { try await second.send(["t": "send", "cid": "second-000\(i)", "thread": "second-0000", "text": "\(i)"]) }
            #expect(try await eventually { second.all("ack").count + second.all("error").count == 3 })
            #expect(second.all("ack").count == 2 && second.all("error").map { $0["code"] as? String } == ["rate_limited"])
        }
    }
}
