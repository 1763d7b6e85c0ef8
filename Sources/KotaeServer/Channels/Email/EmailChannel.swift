import Foundation
import KotaeChannels
import KotaeCore
import KotaeMail
import KotaeStore

/// The email channel: mail comes in by `MailIntake` (raw-MIME API, and the IMAP and SMTP
/// services), and each reply leaves over SMTP as a threaded answer: from the address the
/// customer wrote to, to the customer with the Cc'd people kept on the thread, `In-Reply-To`
/// and `References` set, the inbox's signature, and the customer's previous message quoted
/// below (on unless switched off).
struct EmailChannel: ChannelAdapter {
    let store: KotaeStore
    let smtp: SMTPClient
    let tokens: MailTokens
    let oauth: MailOAuth
    let attachments: AttachmentStore
    /// The test's own certificate for a private SMTP server (nil: the system's roots).
    var trustedCertificatePEM: String? = nil

    var kinds: [ChannelKind] { [.email] }
    var name: String { "Email" }

    func form(for kind: ChannelKind) -> ChannelForm { ChannelForm(settings: EmailSettings.self, credentials: EmailCredentials.self) }

    /// Any file; the agent is told before writing when the customer's address bounced for good.
    func replyRoute(for conversation: Conversation, privately: Bool) async throws -> ReplyRoute {
        var route = ReplyRoute.any
        let addresses = try await store.contacts.contact(id: conversation.contactId)?.identities.filter { $0.channel == "email" } ?? []
        for identity in addresses {
            if let found = try await store.channelState.undeliverable(identity.externalId) {
                route.undeliverable = .init(address: identity.externalId, reason: found.reason, since: found.since)
            }
        }
        return route
    }

    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let settings = try EmailSettings(stored: reply.inbox.settings)
        guard let own = settings.address, !own.isEmpty else {
            return .channelProblem(reason: "this email inbox has no address; set it in the inbox settings")
        }
        // The customer's newest mail: what the reply answers and quotes.
        let previous = try await store.conversations.latestInbound(conversationId: reply.conversation.id, kind: .email)
        var mail = try compose(reply, settings: settings, own: own, previous: previous)
        let recipients = (mail.to + mail.cc).map(\.address)
        guard !recipients.isEmpty else { return .permanent(reason: "the customer has no email address to answer") }

        let server: MailServer, signIn: MailSignIn
        if mail.to.contains(where: { RakutenRelay.isMasked($0.address) }) {
            // Rakuten's masked addresses take mail only through the shop's Rakuten relay,
            // from the shop's registered contact address, and only as an answer.
            guard previous != nil else { return .permanent(reason: RakutenRelay.newThreadRefusal) }
            let relay: RakutenRelay
            do {
                relay = try RakutenRelay(
                    settings: settings, credentials: try await store.inboxes.credentials(id: reply.inbox.id, as: EmailCredentials.self))
            } catch let problem as EmailSettings.SignInProblem {
                return .channelProblem(reason: problem.reason)
            }
            (server, signIn) = (relay.server(trusting: trustedCertificatePEM), relay.signIn)
            mail.from = MailAddress(name: settings.fromName, address: relay.from)
        } else {
            switch try await ownServer(reply.inbox, settings) {
            case .ready(let ownServer, let ownSignIn): (server, signIn) = (ownServer, ownSignIn)
            case .refused(let outcome): return outcome
            }
        }
        return try await deliver(mail, to: recipients, via: server, signIn: signIn, refusal: "the mail server refused the reply")
    }

    /// A plain mail from the inbox's own address to people of the shop (an SLA alert, a rule's
    /// mail): automatic, so their mailers send no vacation reply back.
    func sendNotice(subject: String, text: String, to: [MailAddress], inbox: Inbox) async throws -> DeliveryOutcome {
        let settings = try EmailSettings(stored: inbox.settings)
        guard let own = settings.address, !own.isEmpty else {
            return .channelProblem(reason: "this email inbox has no address; set it in the inbox settings")
        }
        guard !to.isEmpty else { return .permanent(reason: "nobody to send it to has an email address") }
        switch try await ownServer(inbox, settings) {
        case .refused(let outcome): return outcome
        case .ready(let server, let signIn):
            let domain = String(own.split(separator: "@").last ?? "kotae.local")
            var mail = OutgoingMail(
                from: MailAddress(name: settings.fromName, address: own), to: to, subject: subject,
                messageId: "kotae.notice.\(UUID().uuidString.lowercased())@\(domain)", date: Date(), text: text)
            mail.automated = true
            return try await deliver(mail, to: to.map(\.address), via: server, signIn: signIn, refusal: "the mail server refused the mail")
        }
    }

    private enum ServerChoice {
        case ready(MailServer, MailSignIn)
        case refused(DeliveryOutcome)
    }

    /// The inbox's own SMTP server and sign-in, or why it cannot send.
    private func ownServer(_ inbox: Inbox, _ settings: EmailSettings) async throws -> ServerChoice {
        guard let smtpServer = settings.smtpServer(trusting: trustedCertificatePEM) else {
            return .refused(.channelProblem(reason: "this email inbox has no SMTP server; set the SMTP host in the inbox settings"))
        }
        do {
            return .ready(smtpServer, try await oauth.signIn(inbox: inbox, settings: settings))
        } catch let problem as EmailSettings.SignInProblem {
            return .refused(.channelProblem(reason: problem.reason))
        }
    }

    /// Sends over SMTP and says how it went; an address refused as not existing is marked.
    private func deliver(_ mail: OutgoingMail, to recipients: [String], via server: MailServer, signIn: MailSignIn, refusal: String)
        async throws -> DeliveryOutcome
    {
        do {
            try await smtp.send(mail.rendered(), from: mail.from.address, to: recipients, via: server, signIn: signIn)
            return .delivered(externalId: ExternalIDKind.email.id(mail.messageId))
        } catch let e as SMTPError {
            // A recipient refused as not existing (5.1.x at RCPT) is marked on the contact.
            if e.stage.hasPrefix("RCPT TO <"), e.enhancedStatus?.hasPrefix("5.1.") == true {
                let address = String(e.stage.dropFirst("RCPT TO <".count).dropLast())
                try await store.channelState.markUndeliverable(address, reason: "\(e.code) \(e.text)", at: Date())
            }
            if e.stage == "AUTH" || e.code == 530 || e.code == 535 {
                return .channelProblem(reason: "the mail server refused the sign-in: \(e.description)")
            }
            if e.isTransient { return .retry(reason: "the mail server answered \(e.description)", after: nil) }
            return .permanent(reason: "\(refusal): \(e.description)")
        }
    }

    /// The reply as a mail: addressed, threaded, signed and quoting what it answers.
    func compose(_ reply: OutboundReply, settings: EmailSettings, own: String, previous: Message?) throws -> OutgoingMail {
        let headers = previous?.details.email
        let customer =
            headers.flatMap { MailAddress.list(Array($0.from.utf8)).first }
            ?? reply.contact.identities.first { $0.channel == "email" }.map { MailAddress(name: reply.contact.name, address: $0.externalId) }
        let ownAddresses = settings.ownAddresses
        let wroteTo = headers.map { ($0.to + $0.cc).flatMap { MailAddress.list(Array($0.utf8)) } } ?? []
        // Answer from the address they wrote to (an alias is an own address too).
        let fromAddress = wroteTo.first { ownAddresses.contains($0.normalized) }?.address ?? own
        // People Cc'd on the customer's mail stay on the thread; the shop and the customer are not repeated.
        var seen = ownAddresses.union([customer?.normalized ?? ""])
        // …and the people the agent added to this reply.
        let added = (reply.message.details.email?.cc ?? []).flatMap { MailAddress.list(Array($0.utf8)) }
        let cc = (wroteTo + added).filter { seen.insert($0.normalized).inserted }
        let domain = String(fromAddress.split(separator: "@").last ?? "kotae.local")
        var subject = headers?.subject ?? reply.conversation.snippet
        if !MailThreading.isReply(subject) { subject = "Re: " + subject }

        var text = reply.message.text
        let signature = settings.signature.flatMap { $0.isEmpty ? nil : $0 }
        if let signature { text += "\n\n-- \n" + signature }
        // An automatic answer quotes nothing and says it is automatic (RFC 3834).
        let automatic = reply.message.kind == .automated
        var quote: (line: String, text: String)?
        if settings.skipQuote != "true", !automatic, let previous, let headers {
            quote = (Self.quoteLine(previous.sentAt ?? previous.createdAt, from: headers.from), Self.ownText(previous))
            text +=
                "\n\n" + quote!.line + "\n"
                + quote!.text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
        }
        var mail = OutgoingMail(
            from: MailAddress(name: settings.fromName, address: fromAddress), to: customer.map { [$0] } ?? [], subject: subject,
            messageId: tokens.messageId(conversationId: reply.conversation.id, messageId: reply.message.id, domain: domain),
            date: reply.message.createdAt, text: text)
        mail.cc = cc
        if let id = headers?.messageId {
            mail.inReplyTo = id
            mail.references = Array((headers?.references ?? []).suffix(20)) + [id]
        }
        mail.files = reply.message.attachments.compactMap { a in
            attachments.load(a.sha256).map { OutgoingMail.File(filename: a.filename, contentType: a.contentType, data: Array($0)) }
        }
        mail.preferISO2022JP = settings.sendISO2022JP == "true"
        mail.automated = automatic
        mail.html = ReplyHTML.make(text: reply.message.text, signature: signature, quote: quote)
        return mail
    }

    /// 「2026年12月1日 9:14 山田 太郎 <taro@example.jp>:」 as Japanese mailers write it.
    static func quoteLine(_ date: Date, from: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "ja_JP")
        f.timeZone = TimeZone(identifier: "Asia/Tokyo")
        f.dateFormat = "yyyy年M月d日 H:mm"
        return "\(f.string(from: date)) \(from):"
    }

    /// The customer's own words (not the history they quoted), each line behind "> ".
    /// A mail's own words, without what it quoted in turn and without trailing blank lines.
    static func ownText(_ m: Message) -> String {
        let own = m.details.email?.foldAt.map { String(m.text.prefix($0)) } ?? m.text
        let lines = own.split(separator: "\n", omittingEmptySubsequences: false)
        var trimmed = lines[...]
        while trimmed.last?.allSatisfy(\.isWhitespace) == true { trimmed = trimmed.dropLast() }
        return trimmed.joined(separator: "\n")
    }
}
