import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore
import Logging

/// Reads one inbox's IMAP folder into Kotae for as long as it runs: under a lease (one
/// worker per mailbox), from its cursor (UIDVALIDITY + the last UID taken in), each mail
/// through `MailIntake` and committed before the cursor moves and before the mail is marked
/// seen or moved; then IDLE, or polling where the server has no IDLE. A restart resumes at
/// the cursor; a mail taken in twice (a crash between commit and cursor, or a new
/// UIDVALIDITY that makes every mail new again) is recognised by its Message-ID or content
/// hash and stored once.
struct MailboxReader: Sendable {
    let app: AppServices
    let inboxId: ID
    let client: IMAPClient
    let owner: String
    var trustedCertificatePEM: String?
    /// Mails fetched per command: small enough to commit often on a large first sync.
    var batch = 50
    /// How long one IDLE waits before the lease is renewed and IDLE begun again.
    var idleSpan: Duration = .seconds(20)
    /// A lease outlives one IDLE; after a crash, another worker (or the restarted one)
    /// takes the mailbox over once it runs out.
    var leaseSpan: TimeInterval = 30

    struct LeaseLost: Error {}

    /// Reads until cancelled. Failures are shown on the inbox (a refused sign-in in the
    /// server's words) and retried with backoff.
    func run() async {
        var backoff: Duration = .seconds(2)
        let logger = app.logger
        while !Task.isCancelled {
            do {
                try await session()
                backoff = .seconds(2)
            } catch {
                // Stopping (a shutdown, changed settings) is not a failure to show.
                if Task.isCancelled || error is CancellationError { break }
                logger.warning("reading mail failed", metadata: ["inbox": "\(inboxId)", "error": "\(error)"])
                if let problem = Self.problem(error) { try? await app.store.inboxes.setChannelProblem(inboxId: inboxId, problem) }
                let signIn = (error as? IMAPError)?.isSignIn == true || error is EmailSettings.SignInProblem
                // A refused sign-in is not retried every few seconds (servers lock accounts out).
                try? await Task.sleep(for: signIn ? max(backoff, .seconds(300)) : backoff)
                backoff = min(backoff * 2, .seconds(300))
            }
        }
        if let folder = try? await settings().folder { try? await app.store.mailCursors.release(inboxId: inboxId, folder: folder, owner: owner) }
    }

    /// What the inbox's settings page shows for a failure, in the server's words.
    static func problem(_ error: any Error) -> String? {
        switch error {
        case let e as IMAPError where e.isSignIn: "the IMAP server refused the sign-in: \(e.text)"
        case let e as IMAPError: "reading mail over IMAP failed (\(e.stage)): \(e.text)"
        case let e as EmailSettings.SignInProblem: e.reason
        case is LeaseLost: nil
        default: nil
        }
    }

    private func settings() async throws -> (inbox: Inbox, settings: EmailSettings, folder: String) {
        guard let inbox = try await app.store.inboxes.find(id: inboxId) else { throw CancellationError() }
        let settings = try EmailSettings(stored: inbox.settings)
        let folder = settings.imapFolder.flatMap { $0.isEmpty ? nil : $0 } ?? "INBOX"
        return (inbox, settings, folder)
    }

    /// One connection: claim, sign in, read what is new, then wait for more until it fails.
    private func session() async throws {
        let (inbox, settings, folder) = try await settings()
        guard let server = settings.imapServer(trusting: trustedCertificatePEM) else { throw CancellationError() }
        guard try await claim(folder) else {
            // Another worker reads this mailbox; look again when its lease could have run out.
            try await Task.sleep(for: .seconds(leaseSpan / 3))
            return
        }
        let signIn = try await app.mailOAuth.signIn(inbox: inbox, settings: settings)
        let processed = settings.imapProcessedFolder.flatMap { $0.isEmpty ? nil : $0 }
        let poll = Duration.seconds(Int(settings.imapPollSeconds ?? "") ?? 60)
        try await client.withSession(server, signIn: signIn) { session in
            if inbox.settings[Inbox.channelProblemSetting] != nil { try await app.store.inboxes.setChannelProblem(inboxId: inboxId, nil) }
            if let processed { try await session.ensureFolder(processed) }
            let box = try await session.select(folder)
            let useIdle = session.supportsIdle && settings.imapNoIdle != "true"
            while !Task.isCancelled {
                try await takeIn(&session, box: box, folder: folder, inbox: inbox, processed: processed)
                guard try await claim(folder) else { throw LeaseLost() }
                if useIdle {
                    _ = try await session.idle(upTo: idleSpan)
                } else {
                    try await Task.sleep(for: poll)
                    _ = try await session.noop()
                }
            }
        }
    }

    private func claim(_ folder: String) async throws -> Bool {
        let now = app.clock.now
        return try await app.store.mailCursors.claim(
            inboxId: inboxId, folder: folder, owner: owner, until: now.addingTimeInterval(leaseSpan), now: now)
    }

    /// Takes in every mail above the cursor, batch by batch: commit, move the cursor, then
    /// mark seen or move (what is committed is never lost; what is marked is committed).
    private func takeIn(_ session: inout IMAPSession, box: IMAPMailbox, folder: String, inbox: Inbox, processed: String?) async throws {
        let store = app.store.mailCursors
        var cursor = try await store.cursor(inboxId: inboxId, folder: folder) ?? .init(uidValidity: 0, lastUID: 0)
        if cursor.uidValidity != box.uidValidity {
            if cursor.uidValidity != 0 {
                app.logger.notice(
                    "the mailbox's UIDVALIDITY changed: reading the whole folder again; mail already taken in is recognised and kept once",
                    metadata: ["inbox": "\(inboxId)", "folder": "\(folder)", "was": "\(cursor.uidValidity)", "now": "\(box.uidValidity)"])
            }
            cursor = .init(uidValidity: box.uidValidity, lastUID: 0)
        }
        let intake = MailIntake(app: app)
        // UIDs are 32-bit: after the very last one nothing newer can come in this UIDVALIDITY.
        let uids = cursor.lastUID == .max ? [] : try await session.uids(from: cursor.lastUID + 1)
        for start in stride(from: 0, to: uids.count, by: batch) {
            let chunk = Array(uids[start..<min(start + batch, uids.count)])
            for mail in try await session.fetch(chunk) {
                _ = try await intake.receive(mail.raw, inbox: inbox, receivedAt: app.clock.now)
            }
            cursor.lastUID = chunk.last!
            guard try await store.save(cursor, inboxId: inboxId, folder: folder, owner: owner) else { throw LeaseLost() }
            if let processed {
                try await session.move(chunk, to: processed)
            } else {
                try await session.markSeen(chunk)
            }
        }
        if uids.isEmpty, cursor.uidValidity == box.uidValidity {
            // Record a first UIDVALIDITY even for an empty folder.
            guard try await store.save(cursor, inboxId: inboxId, folder: folder, owner: owner) else { throw LeaseLost() }
        }
    }
}
