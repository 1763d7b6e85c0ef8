import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing

@testable import KotaeServer

/// Mail relayed by an MTA to Kotae's SMTP and LMTP listeners: answered 250 only once
/// committed, each recipient answered for in LMTP, nothing relayed, sizes limited, and a
/// redelivery stored once.
@Suite struct MailListenerTests {
    static let shop = "support@shop.example.jp"

    static func withListener(maxBytes: Int = 25 << 20, _ body: @escaping @Sendable (TestApp, _ smtp: Int, _ lmtp: Int) async throws -> Void)
        async throws
    {
        // Port 0: each listener takes a port the system says is free (a port chosen here
        // first could be taken by another test's server before the listener binds it).
        try await withTestApp(configure: {
            $0.mailSMTPPort = 0
            $0.mailLMTPPort = 0
            $0.mailMaxBytes = maxBytes
        }) { app in
            try #require(try await eventually { app.services.mailListenerPorts.withLock { $0.count } == 2 })
            let (smtp, lmtp) = app.services.mailListenerPorts.withLock { ($0[.smtp]!, $0[.lmtp]!) }
            try await body(app, smtp, lmtp)
        }
    }

    /// Sends `mail` with Python (`Tests/mail/send_mail.py`); answers what the server said.
    static func send(port: Int, lmtp: Bool = false, size: Int? = nil, from: String = "mta@relay.test", to: [String], mail: String) async throws
        -> [String: Any]
    {
        let folder = FileManager.default.temporaryDirectory
        let file = folder.appendingPathComponent("kotae-listener-\(UUID().uuidString).eml")
        try Data(mail.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = [
            "python3", TestServerProcess.repository.appendingPathComponent("Tests/mail/send_mail.py").path, "--port", String(port), "--sender", from,
        ]
        arguments += to.flatMap { ["--to", $0] } + (lmtp ? ["--lmtp"] : []) + (size.map { ["--size", String($0)] } ?? []) + [file.path]
        let output = try await TestServerProcess.run(arguments, in: folder)
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
    }

    static func mail(id: String, to: String = shop, body: String = "まだ届いていません。") -> String {
        """
        From: 山田 太郎 <taro@example.jp>
        To: \(to)
        Subject: =?UTF-8?B?\(Data("配送について".utf8).base64EncodedString())?=
        Date: Tue, 1 Dec 2026 10:00:00 +0900
        Message-ID: <\(id)@example.jp>
        Content-Type: text/plain; charset=utf-8

        \(body)
        .a line that starts with a dot

        """
    }

    static func stored(_ app: TestApp, _ inbox: Int64) async throws -> [String] {
        try await app.store.db.read { db in
            try await db.raw("SELECT text FROM messages WHERE kind = 'inbound' AND inbox_id = \(bind: inbox) ORDER BY id").all().map {
                try $0.decode(column: "text", as: String.self)
            }
        }
    }

    @Test func smtpAnswers250OnlyOnceTheMailIsStoredAndRelaysNothing() async throws {
        try await Self.withListener { app, smtp, _ in
            let inbox = try await app.makeInbox(channel: "email", settings: ["address": Self.shop, "aliases": "info@shop.example.jp"])
            let answer = try await Self.send(port: smtp, to: [Self.shop], mail: Self.mail(id: "listener-1"))
            #expect(answer["code"] as? Int == 250)
            #expect((answer["ehlo"] as? [String: String])?["size"] == String(25 << 20))
            // Read at once, with no waiting: the 250 came after the commit.
            let texts = try await Self.stored(app, inbox)
            #expect(texts.count == 1)
            #expect(texts.first?.hasPrefix("まだ届いていません。\n.a line that starts with a dot") == true)

            // The same mail again (an MTA retrying after a lost answer): 250, stored once.
            #expect(try await Self.send(port: smtp, to: [Self.shop], mail: Self.mail(id: "listener-1"))["code"] as? Int == 250)
            #expect(try await Self.stored(app, inbox).count == 1)

            // A sub-address and an alias reach the inbox; a stranger's address is refused at
            // RCPT (no relaying), and the mail still goes to the ones taken.
            let mixed = try await Self.send(
                port: smtp, to: ["support+kotae.abc@shop.example.jp", "someone@elsewhere.test"], mail: Self.mail(id: "listener-2"))
            #expect(mixed["code"] as? Int == 250)
            let refused = (mixed["refused"] as? [String: [Any]])?["someone@elsewhere.test"]
            #expect(refused?.first as? Int == 550 && (refused?.last as? String)?.hasPrefix("5.1.1") == true)
            #expect(try await Self.stored(app, inbox).count == 2)
            let strangers = try await Self.send(port: smtp, to: ["someone@elsewhere.test"], mail: Self.mail(id: "listener-3"))
            #expect(strangers["code"] as? Int == 550)
            #expect(try await Self.stored(app, inbox).count == 2)
        }
    }

    @Test func oversizedMailIsRefusedAtMailOrAfterDataAndNothingIsStored() async throws {
        try await Self.withListener(maxBytes: 4096) { app, smtp, lmtp in
            let inbox = try await app.makeInbox(channel: "email", settings: ["address": Self.shop])
            let big = Self.mail(id: "big", body: String(repeating: "大きな添付ファイル", count: 400))
            let declared = try await Self.send(port: smtp, size: big.utf8.count, to: [Self.shop], mail: big)
            #expect(declared["code"] as? Int == 552)
            #expect((declared["text"] as? String)?.contains("limit of 4096") == true)
            let undeclared = try await Self.send(port: smtp, to: [Self.shop], mail: big)
            #expect(undeclared["code"] as? Int == 552)
            let overLMTP = try await Self.send(port: lmtp, lmtp: true, to: [Self.shop], mail: big)
            #expect(((overLMTP["delivered"] as? [String: [Any]])?[Self.shop])?.first as? Int == 552)
            #expect(try await Self.stored(app, inbox).isEmpty)
            // The connection is still usable after a refusal: a small mail goes through.
            #expect(try await Self.send(port: smtp, to: [Self.shop], mail: Self.mail(id: "small"))["code"] as? Int == 250)
            #expect(try await Self.stored(app, inbox).count == 1)
        }
    }

    @Test func lmtpAnswersForEachRecipient() async throws {
        try await Self.withListener { app, _, lmtp in
            let shopInbox = try await app.makeInbox(channel: "email", settings: ["address": Self.shop])
            let sales = try await app.makeInbox(channel: "email", settings: ["address": "sales@shop.example.jp"])
            let answer = try await Self.send(
                port: lmtp, lmtp: true, to: [Self.shop, "sales@shop.example.jp", "ghost@shop.example.jp"], mail: Self.mail(id: "lmtp-1"))
            let rcpt = try #require(answer["rcpt"] as? [String: [Any]])
            #expect(rcpt["ghost@shop.example.jp"]?.first as? Int == 550)
            let delivered = try #require(answer["delivered"] as? [String: [Any]])
            #expect(delivered.count == 2)
            #expect(delivered.values.allSatisfy { $0.first as? Int == 250 })
            #expect(try await Self.stored(app, shopInbox).count == 1)
            #expect(try await Self.stored(app, sales).count == 1)
            // Speaking SMTP to the LMTP port is refused plainly.
            let wrong = try await Self.send(port: lmtp, to: [Self.shop], mail: Self.mail(id: "lmtp-2"))
            #expect(wrong["code"] as? Int != 250)
        }
    }

    @Test func aMailThatCannotBeCommittedIs451SoTheMTAKeepsIt() async throws {
        try await Self.withListener { app, smtp, lmtp in
            let inbox = try await app.makeInbox(channel: "email", settings: ["address": Self.shop])
            guard app.store.dialect == .sqlite else { return }  // SQLite's page limit stands in for a full disk
            try await app.store.db.write { db in
                let pages = try await db.raw("PRAGMA page_count").first()!.decode(column: "page_count", as: Int.self)
                _ = try await db.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").all()
            }
            let big = Self.mail(id: "full-disk", body: String(repeating: String(repeating: "満", count: 100) + "\n", count: 2000))
            let answer = try await Self.send(port: smtp, to: [Self.shop], mail: big)
            #expect(answer["code"] as? Int == 451)
            let perRecipient = try await Self.send(port: lmtp, lmtp: true, to: [Self.shop], mail: big)
            #expect(((perRecipient["delivered"] as? [String: [Any]])?[Self.shop])?.first as? Int == 451)
            try await app.store.db.write { db in _ = try await db.raw("PRAGMA max_page_count = 1073741823").all() }
            #expect(try await Self.stored(app, inbox).isEmpty)
            // The MTA's retry, once there is room, is stored.
            #expect(try await Self.send(port: smtp, to: [Self.shop], mail: big)["code"] as? Int == 250)
            #expect(try await Self.stored(app, inbox).count == 1)
        }
    }
}
