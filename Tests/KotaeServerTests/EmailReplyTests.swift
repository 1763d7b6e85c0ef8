import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeServer

/// Replies leave over SMTP to a real server (aiosmtpd, STARTTLS, AUTH), and Python's `email`
/// package reads them back as the agent wrote them, threaded to what they answer.
@Suite(.serialized) struct EmailReplyTests {
    static func withMail(
        reject: String = "", tempfail: String = "", password: String? = nil, settings extra: [String: String] = [:], alsoTrust: [String] = [],
        clock: AppClock = .system, role: KotaeConfig.Role? = nil,
        _ body: @escaping @Sendable (TestApp, MailSink, Int64) async throws -> Void
    ) async throws {
        let sink = try await MailSink(reject: reject, tempfail: tempfail)
        defer { sink.stop() }
        // The certificates Kotae trusts for mail servers: this server's, and any other's the test runs.
        let ca = sink.directory.appendingPathComponent("trusted.pem").path
        try ([sink.certificatePEM] + alsoTrust).joined(separator: "\n").write(toFile: ca, atomically: true, encoding: .utf8)
        try await withTestApp(
            clock: clock,
            configure: {
                $0.mailCAFile = ca
                if let role { $0.role = role }
            }
        ) { app in
            var settings = [
                "address": EmailIntakeTests.shop, "fromName": "みどり自転車店", "signature": "みどり自転車店 サポート担当",
                "smtpHost": "localhost", "smtpPort": String(sink.port), "smtpSecurity": "starttls", "username": sink.user,
            ]
            settings.merge(extra) { $1 }
            let inbox = try await app.makeInbox(channel: "email", settings: settings, credentials: ["password": password ?? sink.password])
            try await body(app, sink, inbox)
        }
    }

    static func customerMail(to: String = EmailIntakeTests.shop, cc: String? = "Keiri <keiri@example.jp>", from: String = "山田 太郎 <taro@example.jp>")
        -> String
    {
        """
        From: =?UTF-8?B?\(Data("山田 太郎".utf8).base64EncodedString())?= <\(from.split(separator: "<").last!.dropLast())>
        To: \(to)
        \(cc.map { "Cc: \($0)\n" } ?? "")Subject: =?UTF-8?B?\(Data("まだ?".utf8).base64EncodedString())?=
        Date: Tue, 1 Dec 2026 10:00:00 +0900
        Message-ID: <customer-1@example.jp>
        References: <earlier@example.jp>
        Content-Type: text/plain; charset=utf-8

        まだ届きません。
        注文番号 #1042 です。

        --\u{20}
        山田
        """
    }

    @Test func aReplyArrivesThreadedQuotedAndReadable() async throws {
        try await Self.withMail { app, sink, inbox in
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.customerMail())
            let cid = try #require(EmailIntakeTests.conversation(first))
            let reply = "お待たせしております。\n.A line that starts with a dot, in a mostly English reply, is kept as written."
            let sent = try await app.replySent(cid, ["text": reply])
            #expect(sent != nil)
            let received = try sink.received()
            try #require(received.count == 1)
            let envelope = received[0].envelope
            #expect(envelope["from"] as? String == EmailIntakeTests.shop)
            #expect(envelope["to"] as? [String] == ["taro@example.jp", "keiri@example.jp"])
            #expect(envelope["tls"] as? Bool == true && envelope["auth"] as? Bool == true)

            let mail = try await sink.parsed(received[0].raw)
            #expect(mail["subject"] as? String == "Re: まだ?")
            #expect(mail["from"] as? String == "みどり自転車店 <\(EmailIntakeTests.shop)>")
            #expect(mail["cc"] as? String == "Keiri <keiri@example.jp>")
            #expect(mail["in_reply_to"] as? String == "<customer-1@example.jp>")
            #expect(mail["references"] as? String == "<earlier@example.jp> <customer-1@example.jp>")
            #expect((mail["defects"] as? [Any])?.isEmpty == true)
            #expect((mail["longest_line"] as? Int ?? 999) <= 998)
            let text = try #require(mail["text"] as? String)
            #expect(text.hasPrefix(reply + "\n\n-- \nみどり自転車店 サポート担当\n\n"))
            // The customer's own words are quoted; their signature is not.
            #expect(text.contains("山田 太郎 <taro@example.jp>:\n> まだ届きません。\n> 注文番号 #1042 です。"))
            #expect(!text.contains("> 山田\n"))
            // The HTML part says the same: escaped, the quote as a cited block.
            let html = try #require(mail["html"] as? String)
            #expect(html.contains("お待たせしております。<br>"))
            #expect(html.contains(#"<blockquote type="cite""#) && html.contains("まだ届きません。<br>\n注文番号 #1042 です。</blockquote>"))
            #expect(html.contains("&lt;taro@example.jp&gt;:"))

            // The Message-ID carries the conversation, and the stored reply knows it.
            let messageId = try #require((mail["message_id"] as? String)?.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
            #expect(app.services.mailTokens.conversation(fromMessageId: messageId) == cid)
            #expect(messageId.hasSuffix(".m\(try #require(sent?.id))@shop.example.jp"), "the same on every attempt")
            #expect(sent?.externalId == ExternalIDKind.email.id(messageId))
            // The customer's answer to it lands in the same conversation.
            let answer =
                "From: taro@example.jp\nTo: \(EmailIntakeTests.shop)\nSubject: Re: Re: まだ?\nMessage-ID: <customer-2@example.jp>\nIn-Reply-To: <\(messageId)>\n\n届きました!\n"
            let (_, second) = try await EmailIntakeTests.post(app, inbox, answer)
            #expect(EmailIntakeTests.conversation(second) == cid && second["thread"] as? String == "references")
        }
    }

    @Test func theAgentCopiesMorePeopleAndBadCopiesAreRefusedBeforeAnythingIsStored() async throws {
        try await Self.withMail { app, sink, inbox in
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.customerMail())
            let cid = try #require(EmailIntakeTests.conversation(first))
            let sent = try await app.replySent(cid, ["text": "経理の田中にも共有します。", "cc": ["tanaka@shop-accounts.example.jp", "KEIRI@example.jp"]])
            #expect(sent?.details.email?.cc == ["tanaka@shop-accounts.example.jp", "KEIRI@example.jp"])
            let received = try sink.received()
            try #require(received.count == 1)
            // The customer's own Cc is kept once (case does not make another person).
            #expect(received[0].envelope["to"] as? [String] == ["taro@example.jp", "keiri@example.jp", "tanaka@shop-accounts.example.jp"])
            let mail = try await sink.parsed(received[0].raw)
            #expect((mail["cc"] as? String)?.contains("tanaka@shop-accounts.example.jp") == true)

            let before = try await app.store.conversations.messages(conversationId: cid).count
            for (body, words) in [
                (["text": "x", "cc": ["not-an-address"]] as [String: Any], "is not an email address"),
                (["text": "x", "cc": (1...21).map { "p\($0)@example.jp" }], "at most 20"),
            ] {
                let (status, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(body))
                #expect(status == .unprocessableContent && (out["detail"] as? String)?.contains(words) == true)
            }
            let api = try await app.makeInbox()
            let (_, other) = try await app.ingest(inbox: api, externalId: "api-1")
            let otherId = try #require((other["conversationId"] as? NSNumber)?.int64Value)
            let (status, _) = try await app.admin(.post, "/api/v1/conversations/\(otherId)/reply", jsonString(["text": "x", "cc": ["a@example.jp"]]))
            #expect(status == .unprocessableContent)
            #expect(try await app.store.conversations.messages(conversationId: cid).count == before)
        }
    }

    @Test func iso2022JPWhenTheInboxAsksForIt() async throws {
        try await Self.withMail(settings: ["sendISO2022JP": "true", "skipQuote": "true"]) { app, sink, inbox in
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.customerMail(cc: nil))
            let cid = try #require(EmailIntakeTests.conversation(first))
            // (Python's iso2022_jp codec is strict JIS: ① ㈱ 髙 are checked in KotaeMail's own tests.)
            #expect(try await app.replySent(cid, ["text": "山田様、ｶﾞｲﾄﾞをお送りします。"]) != nil)
            let mail = try await sink.parsed(try #require(try sink.received().first).raw)
            #expect(mail["text_charset"] as? String == "iso-2022-jp")
            #expect((mail["text"] as? String)?.hasPrefix("山田様、ガイドをお送りします。\n") == true)
            #expect((mail["text"] as? String)?.contains("> ") == false)
            #expect(mail["subject"] as? String == "Re: まだ?")
            // An emoji cannot be written in ISO-2022-JP: that reply goes in UTF-8 instead.
            #expect(try await app.replySent(cid, ["text": "ありがとうございます🙇"]) != nil)
            let second = try await sink.parsed(try #require(try sink.received().last).raw)
            #expect(second["text_charset"] as? String == "utf-8")
            #expect((second["text"] as? String)?.hasPrefix("ありがとうございます🙇") == true)
        }
    }

    @Test func aTemporaryRefusalIsRetriedNotFailed() async throws {
        try await Self.withMail(tempfail: "taro") { app, sink, inbox in
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.customerMail(cc: nil))
            let cid = try #require(EmailIntakeTests.conversation(first))
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(["text": "少々お待ちください"]))
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            // 451: still queued, with the server's words, for a later attempt.
            #expect(
                try await eventually {
                    let m = try await app.store.conversations.message(id: id)
                    return m?.deliveryState == .queued && m?.deliveryError?.contains("451 4.3.0") == true
                })
            #expect(try sink.received().isEmpty)
        }
    }

    @Test func theServersRefusalsAreShownInItsOwnWords() async throws {
        try await Self.withMail(reject: "nobody") { app, _, inbox in
            let raw = Self.customerMail(cc: nil, from: "Nobody <nobody@example.jp>")
            let (_, first) = try await EmailIntakeTests.post(app, inbox, raw)
            let cid = try #require(EmailIntakeTests.conversation(first))
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(["text": "はい"]))
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(
                try await eventually {
                    try await app.store.conversations.message(id: id)?.deliveryError?.contains("550 5.1.1") == true
                })
            // The address does not exist: marked on the contact, shown before the next reply.
            #expect(try await app.store.channelState.undeliverable("nobody@example.jp")?.reason.contains("5.1.1") == true)
            let page = String(buffer: try await app.request(.get, "/conversations/\(cid)", token: app.agentToken).body)
            #expect(page.contains("id=\"undeliverable-note\""))
        }
        try await Self.withMail(password: "wrong") { app, sink, inbox in
            let (_, first) = try await EmailIntakeTests.post(app, inbox, Self.customerMail(cc: nil))
            let cid = try #require(EmailIntakeTests.conversation(first))
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(["text": "はい"]))
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(
                try await eventually {
                    (try await app.store.conversations.message(id: id)?.deliveryError ?? "").contains("535")
                })
            #expect(try sink.received().isEmpty)
        }
    }
}

/// Replies to Rakuten's masked addresses leave through the shop's Rakuten relay, from the
/// shop's registered contact address; a new thread to one is refused with the reason.
@Suite(.serialized) struct RakutenRelayTests {
    static let masked = "x7f3k9q2mbz4@pc.fw.rakuten.ne.jp"

    @Test func aReplyToAMaskedAddressGoesThroughTheRelayFromTheRegisteredAddress() async throws {
        let relay = try await MailSink(password: "rakuten-smtp-auth")
        defer { relay.stop() }
        try await EmailReplyTests.withMail(alsoTrust: [relay.certificatePEM]) { app, sink, inbox in
            let raw = EmailReplyTests.customerMail(cc: nil, from: "楽天 花子 <\(Self.masked)>")
            let cid = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, raw).1))
            // No relay set yet: the reply fails visibly, saying what to set.
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(["text": "確認いたします"]))
            let first = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(
                try await eventually {
                    try await app.store.conversations.message(id: first)?.deliveryError?.contains("Rakuten's relay") == true
                })
            #expect(try sink.received().isEmpty)

            let (status, _) = try await app.admin(
                .patch, "/api/v1/inboxes/\(inbox)",
                jsonString([
                    "settings": [
                        "rakutenRelayHost": "localhost", "rakutenRelayPort": String(relay.port), "rakutenRelaySecurity": "starttls",
                        "rakutenRelayUsername": relay.user, "rakutenFrom": "shop-contact@example.jp",
                    ],
                    "credentials": ["rakutenRelayPassword": relay.password],
                ]))
            #expect(status == .ok)
            #expect(try await app.replySent(cid, ["text": "ご注文の品は本日発送いたしました。"]) != nil)
            let received = try relay.received()
            try #require(received.count == 1)
            #expect(received[0].envelope["from"] as? String == "shop-contact@example.jp")
            #expect(received[0].envelope["to"] as? [String] == [Self.masked])
            #expect(received[0].envelope["auth"] as? Bool == true)
            let mail = try await relay.parsed(received[0].raw)
            #expect((mail["from"] as? String)?.hasSuffix("<shop-contact@example.jp>") == true)
            #expect(try sink.received().isEmpty, "nothing went through the shop's own SMTP server")
        }
    }

    @Test func aNewThreadToAMaskedAddressIsRefusedWithTheReason() async throws {
        try await EmailReplyTests.withMail { app, sink, inbox in
            // A conversation Kotae did not receive by mail (no customer mail to answer).
            let (_, made) = try await app.ingest(inbox: inbox, externalId: "rmesse-1", contact: Self.masked, text: "R-Messe の問い合わせ")
            let cid = try #require((made["conversationId"] as? Int).map(Int64.init))
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(cid)/reply", jsonString(["text": "お問い合わせありがとうございます"]))
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(
                try await eventually {
                    try await app.store.conversations.message(id: id)?.deliveryError?.contains("only as an answer to the customer's own mail") == true
                })
            #expect(try sink.received().isEmpty)
        }
    }
}
