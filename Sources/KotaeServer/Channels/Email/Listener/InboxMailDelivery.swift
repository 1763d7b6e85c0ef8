import Foundation
import KotaeChannels
import KotaeCore

/// Mail from the SMTP/LMTP listener into email inboxes: a recipient is taken when it is an
/// inbox's address or alias, or a `+` sub-address of one (`support+<token>@`, Kotae's
/// reply-to addresses); the mail then goes through `MailIntake` once per inbox.
struct InboxMailDelivery: MailDelivery {
    let app: AppServices

    func accepts(recipient: String) async -> Bool {
        ((try? await inbox(for: recipient)) ?? nil) != nil
    }

    func deliver(_ raw: [UInt8], from sender: String, to recipients: [String]) async -> [String: String] {
        var failures: [String: String] = [:]
        var done: [ID: String?] = [:]
        let intake = MailIntake(app: app)
        for recipient in recipients {
            do {
                guard let inbox = try await inbox(for: recipient) else {
                    failures[recipient] = "no inbox takes this address any more"
                    continue
                }
                // Two recipients of one inbox (an address and its alias) are one delivery.
                if let earlier = done[inbox.id] {
                    if let earlier { failures[recipient] = earlier }
                    continue
                }
                _ = try await intake.receive(raw, inbox: inbox, receivedAt: app.clock.now)
                done[inbox.id] = .some(nil)
            } catch {
                app.logger.warning("mail from the listener not stored", metadata: ["recipient": "\(recipient)", "error": "\(error)"])
                failures[recipient] = "\(error)"
                if let inbox = try? await inbox(for: recipient) { done[inbox.id] = .some("\(error)") }
            }
        }
        return failures
    }

    /// The email inbox that receives for `recipient`.
    func inbox(for recipient: String) async throws -> Inbox? {
        let address = Self.withoutSubaddress(recipient.lowercased())
        for inbox in try await app.store.inboxes.all() where inbox.channel == .email {
            if (try? EmailSettings(stored: inbox.settings))?.ownAddresses.contains(address) == true { return inbox }
        }
        return nil
    }

    /// `local+detail@domain` → `local@domain` (RFC 5233 sub-addressing).
    static func withoutSubaddress(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return address }
        return String(address[..<plus] + address[at...])
    }
}
