import AsyncHTTPClient
import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import KotaeTesting
import SQLKit
import Testing

@testable import KotaeServer

extension DovecotSuites {
    /// An email inbox with an IMAP server reads its folder into Kotae: every mail once, new mail
    /// within seconds by IDLE (or by polling), seen or moved once committed, a refused sign-in
    /// shown in the server's words, and a UIDVALIDITY change or a restart in the middle of a
    /// large mailbox costing neither a duplicate nor a gap.
    @Suite struct IMAPReadingTests {
        static func withReader(
            _ server: IMAPTestServer, settings extra: [String: String] = [:], password: String? = nil,
            _ body: @escaping @Sendable (TestApp, Int64) async throws -> Void
        ) async throws {
            let ca = server.directory.appendingPathComponent("cert.pem").path
            try await withTestApp(configure: { $0.mailCAFile = ca }) { app in
                let inbox = try await app.makeInbox(
                    channel: "email", settings: settings(server).merging(extra) { $1 }, credentials: ["password": password ?? server.password])
                try await body(app, inbox)
            }
        }

        static func settings(_ server: IMAPTestServer) -> [String: String] {
            [
                "address": "support@shop.example.jp", "imapHost": "localhost", "imapPort": String(server.imapPort), "imapSecurity": "starttls",
                "username": server.user,
            ]
        }

        /// Inbound messages stored, and how many distinct Message-IDs they carry.
        static func inbound(_ store: KotaeStore, inbox: Int64) async throws -> (count: Int, distinct: Int) {
            try await store.db.read { db in
                let r = try await db.raw(
                    "SELECT COUNT(*) AS n, COUNT(DISTINCT external_id) AS d FROM messages WHERE kind = 'inbound' AND inbox_id = \(bind: inbox)"
                ).first()!
                return (try r.decode(column: "n", as: Int.self), try r.decode(column: "d", as: Int.self))
            }
        }

        static func files(_ server: IMAPTestServer, _ folder: String) -> [String] {
            let path = server.directory.appendingPathComponent("home/shop/Maildir/\(folder)").path
            return (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        }

        @Test func theFolderIsTakenInOnceMarkedSeenAndNewMailArrivesWithinTwoSeconds() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            for n in 1...3 { try server.deliver(IMAPClientTests.mail(n)) }
            try await Self.withReader(server) { app, inbox in
                #expect(try await eventually(timeout: 20) { try await Self.inbound(app.store, inbox: inbox).count == 3 })
                // Marked seen once committed: the shop's own mail client shows them as handled.
                #expect(try await eventually { Self.files(server, "cur").filter { $0.hasSuffix(",S") }.count == 3 })
                let first = try #require(
                    try await app.store.conversations.mailThread(holdingAny: [ExternalIDKind.email.id("imap-1@example.jp")], inboxId: inbox))
                let texts = try await app.store.conversations.messages(conversationId: first.conversationId).map(\.text)
                #expect(texts.first?.contains("Mail number 1.") == true)

                // New mail, announced by IDLE: in the agent's inbox within 2 s, each time.
                var latencies: [Duration] = []
                for n in 4...8 {
                    try await Task.sleep(for: .milliseconds(300))
                    let start = ContinuousClock.now
                    try server.deliver(IMAPClientTests.mail(n))
                    #expect(try await eventually(timeout: 10) { try await Self.inbound(app.store, inbox: inbox).count == n })
                    latencies.append(ContinuousClock.now - start)
                }
                let median = latencies.sorted()[latencies.count / 2]
                print("IMAP IDLE: new mail to stored conversation, median \(median), slowest \(latencies.max()!)")
                // The target is 2 s (BENCHMARKS.md measures it on a quiet machine). Under the whole
                // suite on two cores one mail can be late, so the test holds the median to it and
                // each mail to well inside one IDLE (20 s): it came by IDLE, not by the renewal.
                #expect(median < .seconds(2) && latencies.allSatisfy { $0 < .seconds(5) }, "\(latencies)")
                // The cursor moves just after each batch is committed.
                #expect(
                    try await eventually {
                        let folder = try await app.store.mailCursors.cursor(inboxId: inbox, folder: "INBOX")
                        return folder?.lastUID == 8 && (folder?.uidValidity ?? 0) > 0
                    })
                #expect(try await Self.inbound(app.store, inbox: inbox) == (8, 8))
            }
        }

        @Test func aProcessedFolderReceivesWhatWasTakenInAndPollingWorksWithoutIdle() async throws {
            let server = try await IMAPTestServer(idle: false)
            defer { server.stop() }
            for n in 1...4 { try server.deliver(IMAPClientTests.mail(n)) }
            try await Self.withReader(server, settings: ["imapProcessedFolder": "Kotae", "imapPollSeconds": "5"]) { app, inbox in
                #expect(try await eventually(timeout: 20) { try await Self.inbound(app.store, inbox: inbox).count == 4 })
                #expect(try await eventually { Self.files(server, ".Kotae/cur").count + Self.files(server, ".Kotae/new").count == 4 })
                #expect(try await eventually { Self.files(server, "cur").isEmpty && Self.files(server, "new").isEmpty })
                // Without IDLE, the next poll finds it.
                try server.deliver(IMAPClientTests.mail(5))
                #expect(try await eventually(timeout: 15) { try await Self.inbound(app.store, inbox: inbox).count == 5 })
            }
        }

        @Test func aNewUIDValidityRereadsTheFolderWithoutADuplicate() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            for n in 1...4 { try server.deliver(IMAPClientTests.mail(n)) }
            try await Self.withReader(server) { app, inbox in
                #expect(try await eventually(timeout: 20) { try await Self.inbound(app.store, inbox: inbox).count == 4 })
                let before = try #require(try await app.store.mailCursors.cursor(inboxId: inbox, folder: "INBOX"))
                try await server.changeUIDValidity(to: before.uidValidity &+ 1000)
                try server.deliver(IMAPClientTests.mail(5))
                #expect(
                    try await eventually(timeout: 40) {
                        let cursor = try await app.store.mailCursors.cursor(inboxId: inbox, folder: "INBOX")
                        let stored = try await Self.inbound(app.store, inbox: inbox).count
                        return cursor?.uidValidity == before.uidValidity &+ 1000 && stored == 5
                    })
                #expect(try await Self.inbound(app.store, inbox: inbox) == (5, 5))
            }
        }

        @Test func aRefusedSignInIsShownInTheServersWordsUntilTheRightPasswordIsSaved() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            try server.deliver(IMAPClientTests.mail(1))
            try await Self.withReader(server, password: "not-the-password") { app, inbox in
                #expect(
                    try await eventually(timeout: 20) {
                        try await app.store.inboxes.find(id: inbox)?.settings[Inbox.channelProblemSetting]?.contains("[AUTHENTICATIONFAILED]") == true
                    })
                #expect(try await Self.inbound(app.store, inbox: inbox).count == 0)
                let (status, _) = try await app.admin(.patch, "/api/v1/inboxes/\(inbox)", jsonString(["credentials": ["password": server.password]]))
                #expect(status == .ok)
                #expect(try await eventually(timeout: 20) { try await Self.inbound(app.store, inbox: inbox).count == 1 })
                #expect(try await app.store.inboxes.find(id: inbox)?.settings[Inbox.channelProblemSetting] == nil)
            }
        }
    }

    /// `kotae serve` killed (SIGKILL) in the middle of reading a large mailbox, then started
    /// again: every mail is stored, none twice.
    @Suite struct IMAPRestartTests {
        @Test func aRestartInTheMiddleOfALargeMailboxImportsNothingTwiceAndSkipsNothing() async throws {
            let server = try await IMAPTestServer()
            defer { server.stop() }
            let total = 1000
            for n in 1...total { try server.deliver(IMAPClientTests.mail(n)) }
            let db = try await TestDatabase.make()
            defer { db.remove() }
            let binary = try #require(KotaeBinary.path, "build the kotae executable first (swift build)")
            let store = try await db.openStore()
            defer { Task { [store] in await store.db.close() } }
            let inbox = try await store.inboxes.create(
                name: "Mail", channel: .email, settings: IMAPReadingTests.settings(server), credentials: ["password": server.password])
            let environment = ["KOTAE_MAIL_CA_FILE": server.directory.appendingPathComponent("cert.pem").path]

            let first = try await KotaeBinary.serve(
                binary, dataDir: db.dataDirectory, database: db.url, secret: "test-secret", environment: environment
            ).process
            defer { first.end(grace: .zero) }
            #expect(try await eventually(timeout: 60) { try await IMAPReadingTests.inbound(store, inbox: inbox.id).count >= 100 })
            first.terminate(signal: SIGKILL)
            first.waitUntilExit()
            let atCrash = try await IMAPReadingTests.inbound(store, inbox: inbox.id).count
            try #require(atCrash < total, "the whole mailbox was read before the crash; the test needs a larger one")

            // The dead server's lease on the mailbox runs out (30 s), then the new one reads on.
            let second = try await KotaeBinary.serve(
                binary, dataDir: db.dataDirectory, database: db.url, secret: "test-secret", environment: environment
            ).process
            defer { second.end(grace: .zero) }
            #expect(try await eventually(timeout: 120) { try await IMAPReadingTests.inbound(store, inbox: inbox.id).count == total })
            #expect(try await IMAPReadingTests.inbound(store, inbox: inbox.id) == (total, total))
            #expect(try await eventually { try await store.mailCursors.cursor(inboxId: inbox.id, folder: "INBOX")?.lastUID == UInt32(total) })
            #expect(await KotaeBinary.stop(second))
        }
    }
}
