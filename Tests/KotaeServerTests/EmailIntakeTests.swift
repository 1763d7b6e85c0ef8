import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KotaeCore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// Raw mail in through `POST /api/v1/inboxes/{id}/mime`: read right, stored once, threaded
/// into the right conversation, beside the right customer.
struct EmailIntakeTests {
    static let shop = "support@shop.example.jp"

    static func emailInbox(_ app: TestApp, aliases: String? = nil) async throws -> Int64 {
        var settings = ["address": Self.shop]
        if let aliases { settings["aliases"] = aliases }
        return try await app.makeInbox(channel: "email", settings: settings)
    }

    /// Posts raw mail bytes; answers the status and the JSON object.
    static func post(_ app: TestApp, _ inbox: Int64, _ raw: [UInt8]) async throws -> (HTTPResponse.Status, [String: Any]) {
        var h: HTTPFields = [:]
        h[.authorization] = "Bearer \(app.agentToken)"
        h[.contentType] = "message/rfc822"
        let r = try await app.client.execute(uri: "/api/v1/inboxes/\(inbox)/mime", method: .post, headers: h, body: ByteBuffer(bytes: raw))
        return (r.status, TestApp.object(r))
    }

    static func post(_ app: TestApp, _ inbox: Int64, _ raw: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await post(app, inbox, Array(raw.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    static func mail(
        from: String = "Yamada Taro <Taro.Yamada@Example.jp>", to: String = shop, subject: String, id: String?,
        extra: String = "", body: String = "hello"
    ) -> String {
        var headers = "From: \(from)\nTo: \(to)\nSubject: \(subject)\nDate: Tue, 1 Dec 2026 10:00:00 +0900\n"
        if let id { headers += "Message-ID: <\(id)>\n" }
        return headers + extra + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
    }

    static func conversation(_ out: [String: Any]) -> Int64? { (out["conversationId"] as? NSNumber)?.int64Value }

    @Test func aJapaneseMailWithoutACharsetLandsReadable() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app)
            // Outlook's unlabelled ISO-2022-JP: 「まだ?」 in JIS, with an encoded name.
            let esc = "\u{1B}"
            let raw =
                "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <YAMADA@Example.JP>\nTo: \(Self.shop)\nSubject: =?ISO-2022-JP?B?GyRCJF4kQBsoQg==?=\n"
                + "Message-ID: <m1@example.jp>\nContent-Type: text/plain;\n\n\(esc)$B$^$@\(esc)(B?\n"
            let (status, out) = try await Self.post(app, inbox, raw)
            #expect(status == .created)
            #expect(out["thread"] as? String == "newThread")
            let cid = try #require(Self.conversation(out))
            let messages = try await app.store.conversations.messages(conversationId: cid)
            #expect(messages.count == 1)
            #expect(messages[0].text == "まだ?\n")
            #expect(messages[0].details.email?.subject == "まだ")
            #expect(messages[0].details.email?.warnings == nil)
            let c = try #require(try await app.store.conversations.conversation(id: cid))
            let contact = try #require(try await app.store.contacts.contact(id: c.contactId))
            #expect(contact.name == "山田")
            #expect(contact.identities.contains(ContactIdentity(channel: "email", externalId: "yamada@example.jp")))
            #expect(c.clock.needsReply)

            // The same mail again (an IMAP re-sync, a retried webhook) is one message.
            let (again, dup) = try await Self.post(app, inbox, raw)
            #expect(again == .ok && dup["duplicate"] as? Bool == true && Self.conversation(dup) == cid)
            #expect(try await app.store.conversations.messages(conversationId: cid).count == 1)
        }
    }

    @Test func repliesFollowEveryThreadSignal() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app)
            let (_, first) = try await Self.post(app, inbox, Self.mail(subject: "注文について", id: "root@example.jp"))
            let cid = try #require(Self.conversation(first))

            // In-Reply-To, and References naming only the root (a mailer that drops In-Reply-To).
            let (_, a) = try await Self.post(
                app, inbox, Self.mail(subject: "Re: 注文について", id: "r1@example.jp", extra: "In-Reply-To: <root@example.jp>\n"))
            #expect(Self.conversation(a) == cid && a["thread"] as? String == "references")
            let (_, b) = try await Self.post(
                app, inbox,
                Self.mail(subject: "x", id: "r2@example.jp", extra: "References: <unknown@elsewhere> <root@example.jp>\n"))
            #expect(Self.conversation(b) == cid)

            // One of Kotae's own Message-IDs, though the sent copy was never recorded.
            let ours = app.services.mailTokens.messageId(conversationId: cid, messageId: 99, domain: "shop.example.jp")
            let (_, c) = try await Self.post(app, inbox, Self.mail(subject: "x", id: "r3@example.jp", extra: "In-Reply-To: <\(ours)>\n"))
            #expect(Self.conversation(c) == cid && c["thread"] as? String == "ownMessageId")
            // A tampered number does not pass the tag.
            let forged = ours.replacingOccurrences(of: "kotae.\(cid).", with: "kotae.\(cid + 1).")
            let (_, d) = try await Self.post(
                app, inbox, Self.mail(subject: "x", id: "r4@example.jp", extra: "In-Reply-To: <\(forged)>\n"))
            #expect(Self.conversation(d) != cid && d["thread"] as? String == "newThread")

            // The reply+token address.
            let reply = try #require(app.services.mailTokens.replyAddress(conversationId: cid, inboxAddress: Self.shop))
            let (_, e) = try await Self.post(app, inbox, Self.mail(to: reply, subject: "x", id: "r5@example.jp"))
            #expect(Self.conversation(e) == cid && e["thread"] as? String == "replyAddress")

            // A [#n] subject token from the same customer; from someone else it starts a thread.
            let (_, f) = try await Self.post(app, inbox, Self.mail(subject: "お問い合わせ [#\(cid)]", id: "r6@example.jp"))
            #expect(Self.conversation(f) == cid && f["thread"] as? String == "subjectToken")
            let (_, g) = try await Self.post(
                app, inbox, Self.mail(from: "other@example.com", subject: "お問い合わせ [#\(cid)]", id: "r7@example.jp"))
            #expect(Self.conversation(g) != cid)

            // "Re:" without headers from the same sender joins their one open thread on that topic.
            let (_, h) = try await Self.post(app, inbox, Self.mail(subject: "RE: Re:  注文について", id: "r8@example.jp"))
            #expect(Self.conversation(h) == cid && h["thread"] as? String == "subjectAndSender")
            #expect(try await app.store.conversations.messages(conversationId: cid).count == 7)
        }
    }

    @Test func anAmbiguousReplyStartsItsOwnThread() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app)
            let (_, one) = try await Self.post(app, inbox, Self.mail(subject: "在庫", id: "a@example.jp"))
            let (_, two) = try await Self.post(app, inbox, Self.mail(subject: "在庫", id: "b@example.jp"))
            #expect(Self.conversation(one) != Self.conversation(two))
            let (_, reply) = try await Self.post(app, inbox, Self.mail(subject: "Re: 在庫", id: "c@example.jp"))
            #expect(reply["thread"] as? String == "newThread")
            #expect(![Self.conversation(one), Self.conversation(two)].contains(Self.conversation(reply)))
        }
    }

    @Test func ownMailIsDroppedAndProgramsAreNotWaitingCustomers() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app, aliases: "info@shop.example.jp")
            let (status, out) = try await Self.post(app, inbox, Self.mail(from: "Info <INFO@shop.example.jp>", subject: "loop", id: "own@x"))
            #expect(status == .accepted && (out["dropped"] as? String)?.contains("own address") == true)
            #expect(try await app.store.conversations.mailThread(holdingAny: ["email:own@x"], inboxId: inbox) == nil)

            let (stored, auto) = try await Self.post(
                app, inbox, Self.mail(subject: "自動応答: 不在にしています", id: "oof@x", extra: "Auto-Submitted: auto-replied\n"))
            #expect(stored == .created)
            let autoId = try #require(Self.conversation(auto))
            let c = try #require(try await app.store.conversations.conversation(id: autoId))
            #expect(!c.clock.needsReply)
            let m = try await app.store.conversations.messages(conversationId: c.id)
            #expect(m.first?.details.email?.automated == "out-of-office")
        }
    }

    @Test func attachmentsAndWarningsAreKept() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app)
            let raw = """
                From: a@example.jp
                Subject: =?UTF-8?B?6KuL5rGC5pu4?=
                Message-ID: <att@example.jp>
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=shift_jis
                Content-Transfer-Encoding: base64

                gqCCog==
                --b1
                Content-Type: application/pdf
                Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --b1
                Content-Type: text/plain; charset=x-nonsense

                plain words
                --b1--
                """
            let (status, out) = try await Self.post(app, inbox, raw)
            #expect(status == .created)
            let cid = try #require(Self.conversation(out))
            let m = try #require(try await app.store.conversations.messages(conversationId: cid).first)
            #expect(m.text.hasPrefix("あい"))
            #expect(m.text.contains("plain words"))
            #expect(m.attachments.map(\.filename) == ["請求書.pdf"])
            #expect(m.attachments.first?.size == 9)
            #expect(m.details.email?.warnings?.contains { $0.contains("x-nonsense") } == true)
        }
    }

    @Test func refusalsAreClearAndStoreNothing() async throws {
        try await withTestApp { app in
            let api = try await app.makeInbox()
            let (wrong, out) = try await Self.post(app, api, Self.mail(subject: "x", id: "w@x"))
            #expect(wrong == .conflict && out["code"] as? String == "not_an_email_inbox")
            let inbox = try await Self.emailInbox(app)
            let (empty, e) = try await Self.post(app, inbox, [UInt8]())
            #expect(empty == .badRequest && e["code"] as? String == "empty_body")
            let (missing, _) = try await Self.post(app, 9_999, Self.mail(subject: "x", id: "n@x"))
            #expect(missing == .notFound)
            var h: HTTPFields = [:]
            h[.contentType] = "message/rfc822"
            let stranger = try await app.client.execute(
                uri: "/api/v1/inboxes/\(inbox)/mime", method: .post, headers: h, body: ByteBuffer(string: Self.mail(subject: "x", id: "s@x")))
            #expect(stranger.status == .unauthorized)
            #expect(try await app.store.conversations.mailThread(holdingAny: ["email:w@x", "email:n@x", "email:s@x"], inboxId: inbox) == nil)
        }
    }

    @Test func theTimelineFoldsTheQuoteAndSaysWhatCouldNotBeRead() async throws {
        try await withTestApp { app in
            let inbox = try await Self.emailInbox(app)
            let body = "届きました。ありがとうございます。\n\n2026年12月1日(火) 9:14 みどり自転車店 <support@shop.example.jp>:\n> 本日発送しました。\n"
            let (_, out) = try await Self.post(app, inbox, Self.mail(subject: "Re: 発送", id: "fold@example.jp", body: body))
            let cid = try #require(Self.conversation(out))
            let page = String(buffer: try await app.request(.get, "/conversations/\(cid)", token: app.adminToken).body)
            #expect(page.contains("<p class=\"text\">届きました。ありがとうございます。\n\n</p>"))
            #expect(page.contains("<details class=\"quoted\"><summary>引用と署名を表示</summary><p class=\"text\">2026年12月1日(火) 9:14"))
            // The whole text is kept on the message.
            let m = try #require(try await app.store.conversations.messages(conversationId: cid).first)
            #expect(m.text.contains("> 本日発送しました。"))

            let odd = "From: a@example.jp\nSubject: x\nMessage-ID: <odd@x>\nContent-Type: text/plain; charset=x-nonsense\n\nplain\n"
            let (_, o) = try await Self.post(app, inbox, odd)
            let oddPage = String(
                buffer: try await app.request(.get, "/conversations/\(try #require(Self.conversation(o)))", token: app.adminToken).body)
            #expect(oddPage.contains("このメールの一部は正確に読めませんでした"))
            #expect(oddPage.contains("unknown charset x-nonsense"))

            let auto = Self.mail(subject: "自動応答: 不在", id: "oof2@x", extra: "Auto-Submitted: auto-replied\n")
            let (_, a) = try await Self.post(app, inbox, auto)
            let autoPage = String(
                buffer: try await app.request(.get, "/conversations/\(try #require(Self.conversation(a)))", token: app.adminToken).body)
            #expect(autoPage.contains("不在通知です（返信は不要）"))
        }
    }
}
