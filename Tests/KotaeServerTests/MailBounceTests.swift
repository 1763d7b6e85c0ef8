import Foundation
import KotaeCore
import KotaeTesting
import Testing

@testable import KotaeServer

/// A permanent bounce marks the customer's address as not existing, where the agent sees it
/// before writing; mail from that address clears it.
@Suite struct MailBounceTests {
    static func customer(_ id: String) -> String {
        """
        From: Taro <taro@example.jp>
        To: \(EmailIntakeTests.shop)
        Subject: Order 1042
        Message-ID: <\(id)@example.jp>
        Content-Type: text/plain; charset=utf-8

        Where is my order?
        """
    }

    static func bounce(status: String) -> String {
        """
        From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)
        To: \(EmailIntakeTests.shop)
        Subject: Undelivered Mail Returned to Sender
        Auto-Submitted: auto-replied
        Message-ID: <bounce-\(status)@mx.example.jp>
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.jp

        Final-Recipient: rfc822; Taro@example.jp
        Action: failed
        Status: \(status)
        Diagnostic-Code: smtp; 550 \(status) <taro@example.jp>: Recipient address rejected: User unknown

        --b1--
        """
    }

    @Test func aBounceForAnAddressThatDoesNotExistIsShownUntilTheCustomerWritesAgain() async throws {
        try await withTestApp { app in
            let inbox = try await EmailIntakeTests.emailInbox(app)
            let cid = try #require(EmailIntakeTests.conversation(try await EmailIntakeTests.post(app, inbox, Self.customer("c1")).1))
            func page() async throws -> String { String(buffer: try await app.request(.get, "/conversations/\(cid)", token: app.agentToken).body) }
            #expect(try await !page().contains("undeliverable-note"))

            // A full mailbox (4.2.2) is not a wrong address: nothing is marked.
            _ = try await EmailIntakeTests.post(app, inbox, Self.bounce(status: "4.2.2"))
            #expect(try await app.store.channelState.undeliverable("taro@example.jp") == nil)

            let (status, out) = try await EmailIntakeTests.post(app, inbox, Self.bounce(status: "5.1.1"))
            #expect(status == .created)
            let marked = try #require(try await app.store.channelState.undeliverable("taro@example.jp"))
            #expect(marked.reason.hasPrefix("5.1.1 smtp; 550 5.1.1"))
            // The bounce itself is kept, and nobody is asked to answer it.
            let bounceConversation = try #require(EmailIntakeTests.conversation(out))
            #expect(try await app.store.conversations.conversation(id: bounceConversation)?.clock.needsReply == false)
            let shown = try await page()
            #expect(shown.contains("id=\"undeliverable-note\"") && shown.contains("taro@example.jp は宛先不明で戻ってきました"))
            #expect(shown.contains("Recipient address rejected: User unknown"))

            // The customer writes again: the address works.
            _ = try await EmailIntakeTests.post(app, inbox, Self.customer("c2"))
            #expect(try await app.store.channelState.undeliverable("taro@example.jp") == nil)
            #expect(try await !page().contains("undeliverable-note"))
        }
    }
}

/// An HTML mail's inline pictures (`cid:`) show in its frame at once; remote ones only when
/// the agent asks.
@Suite struct MailInlineImageTests {
    @Test func cidPicturesShowAtOnceAndRemoteOnesOnlyWhenAsked() async throws {
        // A 1×1 PNG.
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
        let raw = """
            From: Hanako <hanako@example.jp>
            To: \(EmailIntakeTests.shop)
            Subject: 届いた商品の写真です
            Message-ID: <inline-1@example.jp>
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary="rel"

            --rel
            Content-Type: text/html; charset=utf-8

            <p>傷があります:</p><img src="cid:photo1@example.jp" alt="写真"><img src="cid:notes@example.jp"><img src="https://tracker.example/open.png?u=1&amp;m=2">
            --rel
            Content-Type: image/png
            Content-Transfer-Encoding: base64
            Content-ID: <photo1@example.jp>
            Content-Disposition: inline

            \(png.base64EncodedString())
            --rel
            Content-Type: text/html; charset=utf-8
            Content-ID: <notes@example.jp>

            <script>alert(1)</script>
            --rel--
            """
        try await withTestApp { app in
            let inbox = try await EmailIntakeTests.emailInbox(app)
            let (_, out) = try await EmailIntakeTests.post(app, inbox, raw)
            let cid = try #require(EmailIntakeTests.conversation(out))
            let mid = try #require((out["messageId"] as? NSNumber)?.int64Value)
            let stored = try #require(try await app.store.conversations.message(id: mid))
            #expect(stored.attachments.contains { $0.contentId == "photo1@example.jp" && $0.contentType == "image/png" })

            let frame = String(buffer: try await app.request(.get, "/conversations/\(cid)/messages/\(mid)/html", token: app.agentToken).body)
            #expect(frame.contains(#"src="data:image/png;base64,\#(png.base64EncodedString())""#))
            // A part that is not a picture is never put into the page; the tracker waits.
            #expect(frame.contains(#"data-src="cid:notes@example.jp""#) && !frame.contains("alert(1)"))
            #expect(frame.contains(#"data-src="https://tracker.example/open.png?u=1&m=2""#))
            #expect(!frame.contains(#" src="https://tracker"#))

            let shown = String(buffer: try await app.request(.get, "/conversations/\(cid)/messages/\(mid)/html?images=1", token: app.agentToken).body)
            #expect(shown.contains(#" src="https://tracker.example/open.png?u=1&m=2""#))
            #expect(shown.contains(#"src="data:image/png;base64,"#))
        }
    }
}
