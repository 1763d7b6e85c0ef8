import Foundation
import KotaeChannels
import KotaeTesting
import Testing

extension DovecotSuites {
    /// Kotae's IMAP client against a real Dovecot: every way to sign in that mail providers
    /// use, reading without marking, marking and moving, and IDLE.
    @Suite struct IMAPClientTests {
        static func mail(_ n: Int, subject: String = "Order question") -> String {
            """
            From: Customer \(n) <customer\(n)@example.jp>
            To: support@shop.example.jp
            Subject: \(subject) \(n)
            Date: Tue, 1 Dec 2026 10:00:00 +0900
            Message-ID: <imap-\(n)@example.jp>
            Content-Type: text/plain; charset=utf-8

            Mail number \(n).

            """
        }

        @Test func signsInByPasswordAndOAuthAndShowsARefusalInTheServersWords() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            try server.allow(token: "good-access-token")
            let client = IMAPClient(timeout: .seconds(20))
            for (endpoint, signIn) in [
                (server.startTLS, MailSignIn.password(user: "shop", password: "secret")),
                (server.implicitTLS, .password(user: "shop", password: "secret")),
                (server.startTLS, .xoauth2(user: "shop", accessToken: "good-access-token")),
                (server.implicitTLS, .oauthBearer(user: "shop", accessToken: "good-access-token")),
            ] {
                let box = try await client.withSession(endpoint, signIn: signIn) { try await $0.select("INBOX") }
                #expect(box.uidValidity > 0, "\(signIn)")
            }
            for signIn in [
                MailSignIn.password(user: "shop", password: "wrong"), .xoauth2(user: "shop", accessToken: "revoked-token"),
                .oauthBearer(user: "shop", accessToken: "revoked-token"),
            ] {
                await #expect {
                    try await client.withSession(server.startTLS, signIn: signIn) { _ in }
                } throws: { error in
                    let e = error as? IMAPError
                    return e?.isSignIn == true && e?.text.contains("[AUTHENTICATIONFAILED]") == true
                }
            }
            // A server certificate nobody trusts is refused before any password is sent.
            let untrusted = MailServer(host: "localhost", port: server.imapsPort, security: .tls)
            await #expect(throws: IMAPError.self) {
                try await client.withSession(untrusted, signIn: .password(user: "shop", password: "secret")) { _ in }
            }
        }

        @Test func readsWithoutMarkingThenMarksSeenOrMoves() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            for n in 1...5 { try server.deliver(Self.mail(n)) }
            let client = IMAPClient(timeout: .seconds(20))
            let signIn = MailSignIn.password(user: "shop", password: "secret")
            try await client.withSession(server.startTLS, signIn: signIn) { s in
                let box = try await s.select("INBOX")
                #expect(box.exists == 5)
                let uids = try await s.uids(from: 1)
                #expect(uids.count == 5)
                // Above the last UID, the answer is empty (not the last message again).
                #expect(try await s.uids(from: uids.last! + 1).isEmpty)
                let mails = try await s.fetch(Array(uids.prefix(3)))
                #expect(mails.map(\.uid) == Array(uids.prefix(3)))
                #expect(String(decoding: mails[0].raw, as: UTF8.self).contains("Mail number 1."))
                try await s.markSeen([uids[0]])
                try await s.ensureFolder("Kotae")
                try await s.ensureFolder("Kotae")
                try await s.move([uids[1], uids[2]], to: "Kotae")
                #expect(try await s.select("Kotae").exists == 2)
                #expect(try await s.select("INBOX").exists == 3)
            }
            let maildir = server.directory.appendingPathComponent("home/shop/Maildir/cur")
            let names = try FileManager.default.contentsOfDirectory(atPath: maildir.path)
            #expect(names.filter { $0.hasSuffix(",S") }.count == 1, "one mail is seen, the unread ones are left unread: \(names)")
        }

        @Test func idleHearsNewMailAtOnceAndEndsAtItsLimitOtherwise() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            let client = IMAPClient(timeout: .seconds(20))
            try await client.withSession(server.startTLS, signIn: .password(user: "shop", password: "secret")) { s in
                _ = try await s.select("INBOX")
                #expect(s.supportsIdle)
                var start = ContinuousClock.now
                #expect(try await s.idle(upTo: .milliseconds(800)) == false)
                #expect(ContinuousClock.now - start < .seconds(5))
                let deliver = Task {
                    try await Task.sleep(for: .milliseconds(300))
                    try server.deliver(Self.mail(9))
                }
                start = ContinuousClock.now
                #expect(try await s.idle(upTo: .seconds(15)) == true)
                #expect(ContinuousClock.now - start < .seconds(2))
                try await deliver.value
                #expect(try await s.uids(from: 1).count == 1)
            }
        }
    }
}
