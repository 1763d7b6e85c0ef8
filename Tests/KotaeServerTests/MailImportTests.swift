import Foundation
import KotaeCore
import KotaeMail
import KotaeTesting
import Testing

@testable import KotaeServer

/// `kotae import`: every message in once, replies in their threads, a second import adds nothing.
struct MailImportTests {
    static func mail(_ n: Int, from: String = "taro@example.jp", subject: String = "注文について", extra: String = "") -> String {
        "From: \(from)\nTo: \(EmailIntakeTests.shop)\nSubject: \(subject)\nMessage-ID: <imp-\(n)@example.jp>\n\(extra)Content-Type: text/plain; charset=utf-8\n\nbody \(n)\n"
    }

    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-import-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        return dir
    }

    @Test func aFolderAnMboxAndAMaildirImportOnceAndThreaded() async throws {
        try await withTestApp { app in
            let inbox = try #require(try await app.store.inboxes.find(id: try await EmailIntakeTests.emailInbox(app)))
            let intake = MailIntake(app: app.services, threading: MailThreading(store: app.store, tokens: app.services.mailTokens))

            // A folder of .eml files (searched recursively, in name order), with a reply and own mail.
            let eml = try Self.folder()
            try Self.mail(1).write(toFile: eml + "/001.eml", atomically: true, encoding: .utf8)
            try Self.mail(2, subject: "Re: 注文について", extra: "In-Reply-To: <imp-1@example.jp>\n").write(
                toFile: eml + "/sub/002.eml", atomically: true, encoding: .utf8)
            try Self.mail(3, from: EmailIntakeTests.shop).write(toFile: eml + "/003.eml", atomically: true, encoding: .utf8)
            try "not mail".write(toFile: eml + "/notes.txt", atomically: true, encoding: .utf8)
            let calls = Counter()
            let first = try await MailImport.importAll(kind: .emlFolder, path: eml, inbox: inbox, intake: intake) { done, total in
                calls.record(done, total)
            }
            #expect(first.imported == 2 && first.duplicates == 0 && first.dropped == 1)
            #expect(calls.last?.0 == 3 && calls.last?.1 == 3)
            let root = try await app.store.conversations.mailThread(holdingAny: ["email:imp-1@example.jp"], inboxId: inbox.id)
            let reply = try await app.store.conversations.mailThread(holdingAny: ["email:imp-2@example.jp"], inboxId: inbox.id)
            #expect(root != nil && root?.conversationId == reply?.conversationId)
            let again = try await MailImport.importAll(kind: .emlFolder, path: eml, inbox: inbox, intake: intake) { _, _ in }
            #expect(again.imported == 0 && again.duplicates == 2 && again.dropped == 1)

            // An mbox with the same first mail and a new one; a Maildir with a new one.
            let mbox = try Self.folder() + "/mail.mbox"
            let mboxText =
                "From taro@example.jp Tue Dec  1 09:00:00 2026\n" + Self.mail(1) + "\nFrom x Tue Dec  1 09:00:00 2026\n" + Self.mail(4) + "\n"
            try mboxText.write(toFile: mbox, atomically: true, encoding: .utf8)
            #expect(MailSource.kind(of: mbox) == .mbox)
            let fromMbox = try await MailImport.importAll(kind: .mbox, path: mbox, inbox: inbox, intake: intake) { _, _ in }
            #expect(fromMbox.imported == 1 && fromMbox.duplicates == 1)
            let maildir = try Self.folder()
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
            }
            try Self.mail(5).write(toFile: maildir + "/new/1700000000.M1.host", atomically: true, encoding: .utf8)
            #expect(MailSource.kind(of: maildir) == .maildir)
            let fromMaildir = try await MailImport.importAll(kind: .maildir, path: maildir, inbox: inbox, intake: intake) { _, _ in }
            #expect(fromMaildir.imported == 1)
        }
    }

    @Test func relatedMailsAreStoredInOrderAndOthersSideBySide() {
        func parsed(_ n: Int, from: String, extra: String = "") -> MailMessage {
            MailMessage(parsing: Array(Self.mail(n, from: from, extra: extra).utf8))
        }
        let groups = MailImport.relatedGroups([
            parsed(1, from: "a@example.jp"),
            parsed(2, from: "b@example.jp"),
            parsed(3, from: "c@example.jp", extra: "References: <imp-1@example.jp>\n"),  // a Cc'd person answers a
            parsed(4, from: "A@Example.jp"),  // a again
            parsed(1, from: "d@example.jp"),  // the same Message-ID again
        ])
        #expect(groups == [[0, 2, 3, 4], [1]])
    }

    @Test func importRefusesWhatItCannotUse() async throws {
        try await withTestApp { app in
            var config = app.services.config
            config.databaseURL = app.database.url
            let api = try await app.makeInbox()
            await #expect(throws: MailImport.Failure.self) {
                _ = try await MailImport.run(config: config, inboxId: api, path: try Self.folder()) { _, _ in }
            }
            await #expect(throws: MailImport.Failure.self) {
                _ = try await MailImport.run(config: config, inboxId: 9_999, path: try Self.folder()) { _, _ in }
            }
            await #expect(throws: MailImport.Failure.self) {
                _ = try await MailImport.run(config: config, inboxId: api, path: "/nonexistent/mail") { _, _ in }
            }
        }
    }
}

/// The last progress the import reported.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Int, Int)?
    func record(_ done: Int, _ total: Int) { lock.withLock { value = (done, total) } }
    var last: (Int, Int)? { lock.withLock { value } }
}
