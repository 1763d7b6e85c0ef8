import Crypto
import Foundation
import KotaeChannels
import KotaeCore
import Logging
import ServiceLifecycle

/// Keeps one `MailboxReader` running for each email inbox with an IMAP server, on worker
/// instances: started when such an inbox appears, restarted when its settings or
/// credentials change, stopped when it goes.
struct MailboxWatchers: Service {
    let app: AppServices
    let client: IMAPClient
    let owner: String
    var trustedCertificatePEM: String?
    /// How often the list of inboxes is read again.
    var rescan: Duration = .seconds(2)

    func run() async throws {
        var running: [ID: (fingerprint: String, task: Task<Void, Never>)] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // When the list cannot be read, the readers keep running as they are.
            let wanted = (try? await mailboxes()) ?? running.mapValues(\.fingerprint)
            for (id, r) in running where wanted[id] != r.fingerprint {
                r.task.cancel()
                running[id] = nil
            }
            for (id, fingerprint) in wanted where running[id] == nil {
                let reader = MailboxReader(app: app, inboxId: id, client: client, owner: owner, trustedCertificatePEM: trustedCertificatePEM)
                running[id] = (fingerprint, Task { await reader.run() })
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: rescan) }
        }
        // Each reader gives its lease up as it stops, so another instance takes over at once.
        for r in running.values { r.task.cancel() }
        for r in running.values { await r.task.value }
    }

    /// Email inboxes that read IMAP, each with a fingerprint of what its reader depends on.
    private func mailboxes() async throws -> [ID: String] {
        var found: [ID: String] = [:]
        for inbox in try await app.store.inboxes.all() where inbox.channel == .email {
            guard let host = inbox.settings["imapHost"], !host.isEmpty else { continue }
            var settings = inbox.settings
            settings[Inbox.channelProblemSetting] = nil
            // A renewed access token is not a change the reader restarts for.
            let credentials = try await app.store.inboxes.credentials(id: inbox.id).filter { !MailOAuth.cacheKeys.contains($0.key) }
            let seen = "\(settings.sorted { $0.key < $1.key })|\(credentials.sorted { $0.key < $1.key })"
            found[inbox.id] = Hex.encode(SHA256.hash(data: Data(seen.utf8)))
        }
        return found
    }
}
