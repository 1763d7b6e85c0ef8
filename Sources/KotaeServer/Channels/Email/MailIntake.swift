import Crypto
import Foundation
import KotaeCore
import KotaeMail
import KotaeStore

/// Every way mail comes in (IMAP, the SMTP/LMTP listener, the raw-MIME API, `kotae import`)
/// ends here: the raw message is read, its sender recognised, its thread found, and it goes
/// through the one inbound pipeline, stored exactly once (by Message-ID, or by the content's
/// hash when it has none).
struct MailIntake: Sendable {
    let app: AppServices
    let threading: MailThreading

    init(app: AppServices) {
        self.init(app: app, threading: MailThreading(store: app.store, tokens: app.mailTokens))
    }

    init(app: AppServices, threading: MailThreading) {
        self.app = app
        self.threading = threading
    }

    enum Outcome: Sendable {
        case stored(Conversations.IngestOutcome, thread: MailThreading.Reason)
        /// Not taken in, with the reason (mail from the inbox's own address: a loop).
        case dropped(String)
    }

    /// The id a raw mail is stored under: its Message-ID, else `sha256:<hex>` of its bytes.
    static func mailId(_ mail: MailMessage, raw: [UInt8]) -> String {
        mail.messageId ?? "sha256:" + Hex.encode(SHA256.hash(data: raw))
    }

    func receive(_ raw: [UInt8], inbox: Inbox, receivedAt: Date) async throws -> Outcome {
        try await receive(MailMessage(parsing: raw), raw: raw, inbox: inbox, receivedAt: receivedAt)
    }

    /// A mail already read (`kotae import` reads many at once on every core). `live` is
    /// false for mail imported from an archive: the autoresponder never answers old mail.
    func receive(_ mail: MailMessage, raw: [UInt8], inbox: Inbox, receivedAt: Date, live: Bool = true) async throws -> Outcome {
        let settings = try EmailSettings(stored: inbox.settings)
        let senderAddress = mail.from.first ?? mail.sender ?? mail.replyTo.first
        let sender = senderAddress?.normalized ?? "unknown-sender@invalid"
        if settings.ownAddresses.contains(sender) {
            return .dropped("mail from the inbox's own address \(sender) is not taken in (a loop)")
        }
        let mailId = Self.mailId(mail, raw: raw)
        // An answer to a reply emailed from a chat widget conversation goes on in that conversation.
        let continued = try await ChatMailContinuation(store: app.store, tokens: app.mailTokens).target(of: mail, arrivedIn: inbox)
        let (threadKey, reason) =
            if let continued { (continued.threadKey, MailThreading.Reason.ownMessageId) } else {
                try await threading.thread(for: mail, mailId: mailId, sender: sender, inbox: inbox)
            }

        var warnings = mail.warnings
        if senderAddress == nil { warnings.append("the mail names no sender") }
        let files = try mail.attachments.map { a in
            var saved = try app.attachments.save(Data(a.data), filename: a.filename, contentType: a.contentType)
            saved.contentId = a.contentId
            return saved
        }
        let text = mail.text
        let headers = EmailHeaders(
            subject: mail.subject, from: senderAddress.map(Self.display) ?? sender, to: mail.to.map(Self.display),
            cc: mail.cc.map(Self.display), messageId: mail.messageId,
            references: (mail.references + mail.inReplyTo).isEmpty ? nil : mail.references + mail.inReplyTo,
            warnings: warnings.isEmpty ? nil : warnings, automated: mail.automated?.rawValue,
            foldAt: QuoteFolding.foldPoint(text))
        var message = InboundMessage(
            identity: ("email", sender), contactName: senderAddress?.name, contactEmail: senderAddress == nil ? nil : sender,
            externalId: ExternalIDKind.email.id(mailId), threadKey: threadKey, text: text,
            html: mail.html.map(HTMLSanitizer.sanitize), attachments: files,
            // A program's mail (auto-reply, list, bounce) is kept but nobody waits on it.
            needsReply: mail.automated == nil, sentAt: mail.date ?? receivedAt,
            timeNote: mail.date == nil ? "the mail has no readable Date header; this is when it arrived" : nil)
        message.details = MessageDetails(email: headers)
        // Committed with the mail: a bounce marks the addresses that do not exist; mail from
        // a person shows their address works again.
        let deliverability: [FollowUp] =
            if mail.automated == .bounce {
                mail.deliveryFailures.filter(\.addressDoesNotExist).map { f in
                    .deliverability(address: f.address, undeliverable: [f.status, f.diagnostic].compactMap { $0 }.joined(separator: " "))
                }
            } else if mail.automated == nil, senderAddress != nil {
                [.deliverability(address: sender, undeliverable: nil)]
            } else {
                []
            }
        if let continued {
            let outcome = try await app.inbound.pipeline.accept(message, inbox: continued.inbox) { _, _ in deliverability }
            return .stored(outcome, thread: reason)
        }
        let answer = try await autoReply(to: mail, inbox: inbox, settings: settings, live: live, now: receivedAt)
        let outcome = try await app.inbound.pipeline.accept(message, inbox: inbox) { _, _ in deliverability + answer }
        return .stored(outcome, thread: reason)
    }

    /// The autoresponder's answer to a person's new mail: never to a program's mail (auto-
    /// replies, lists, bounces), never to mail older than a day (an IMAP folder read for the
    /// first time, an import); the store keeps it to once a day and a few per conversation.
    private func autoReply(to mail: MailMessage, inbox: Inbox, settings: EmailSettings, live: Bool, now: Date) async throws -> [FollowUp] {
        guard settings.autoReply == "true", live, mail.automated == nil, now.timeIntervalSince(mail.date ?? now) < AutoReply.interval else {
            return []
        }
        let measured = try await app.store.conversations.firstResponseSeconds(inboxId: inbox.id, since: now.addingTimeInterval(-AutoReply.window))
        let text = AutoReply.text(
            shop: settings.fromName.flatMap { $0.isEmpty ? nil : $0 } ?? inbox.name, p90: MeasuredReplyTime.p90(measured),
            hours: inbox.slaPolicy.businessHours, now: now)
        return [.automatedReply(text: text, interval: AutoReply.interval, cap: AutoReply.cap, at: now)]
    }

    /// `山田 太郎 <taro@example.jp>`, or the bare address.
    static func display(_ a: MailAddress) -> String {
        guard let name = a.name, !name.isEmpty else { return a.address }
        return "\(name) <\(a.address)>"
    }
}
