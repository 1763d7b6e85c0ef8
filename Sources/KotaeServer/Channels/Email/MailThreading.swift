import Foundation
import KotaeCore
import KotaeMail
import KotaeStore

/// Which conversation a received mail continues, in the order the signals are trusted:
/// 1. In-Reply-To and References (every id, newest first) against the Message-IDs stored in
///    this inbox, ours included;
/// 2. one of Kotae's own Message-IDs (tagged with its conversation) when the sent copy was
///    not recorded;
/// 3. a `reply+<token>@` recipient address (inboxes with a catch-all);
/// 4. a `[#123]` token in the subject, when the sender is that conversation's customer;
/// 5. a "Re:" with no usable headers, from a sender with exactly one open conversation on
///    the same subject.
/// Otherwise the mail starts a thread of its own.
struct MailThreading: Sendable {
    let store: KotaeStore
    let tokens: MailTokens

    enum Reason: String, Sendable {
        case references, ownMessageId, replyAddress, subjectToken, subjectAndSender, newThread
    }

    /// `mailId` is the mail's own id as stored (its Message-ID, or its content hash), the
    /// root of a new thread.
    func thread(for mail: MailMessage, mailId: String, sender: String, inbox: Inbox) async throws -> (threadKey: String, reason: Reason) {
        let referenced = Array((mail.references + mail.inReplyTo).reversed())
        if let found = try await store.conversations.mailThread(
            holdingAny: referenced.map { ExternalIDKind.email.id($0) }, inboxId: inbox.id)
        {
            return (found.threadKey, .references)
        }
        for id in referenced {
            if let conversation = tokens.conversation(fromMessageId: id),
                let found = try await store.conversations.mailThread(conversationId: conversation, inboxId: inbox.id)
            {
                return (found.threadKey, .ownMessageId)
            }
        }
        for address in mail.to + mail.cc {
            if let conversation = tokens.conversation(fromAddress: address.normalized),
                let found = try await store.conversations.mailThread(conversationId: conversation, inboxId: inbox.id)
            {
                return (found.threadKey, .replyAddress)
            }
        }
        let identity = (channel: "email", externalId: sender)
        if let number = Self.subjectToken(mail.subject),
            let found = try await store.conversations.mailThread(conversationId: number, inboxId: inbox.id),
            try await isCustomer(found, identity: identity)
        {
            return (found.threadKey, .subjectToken)
        }
        if Self.isReply(mail.subject) {
            let topic = Self.topic(mail.subject)
            let same = try await store.conversations.openMailThreads(identity: identity, inboxId: inbox.id).filter {
                $0.subject.map(Self.topic) == topic
            }
            if same.count == 1 { return (same[0].threadKey, .subjectAndSender) }
        }
        return (ThreadKind.email.key(mailId), .newThread)
    }

    private func isCustomer(_ thread: Conversations.MailThread, identity: (channel: String, externalId: String)) async throws -> Bool {
        guard let contact = try await store.contacts.contact(id: thread.contactId) else { return false }
        return contact.identities.contains { $0.channel == identity.channel && $0.externalId == identity.externalId }
    }

    /// `[#123]` anywhere in the subject.
    static func subjectToken(_ subject: String) -> ID? {
        guard let open = subject.range(of: "[#") else { return nil }
        let digits = subject[open.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, subject[open.upperBound...].dropFirst(digits.count).first == "]" else { return nil }
        return ID(digits)
    }

    static let replyPrefixes = ["re:", "re：", "fw:", "fwd:", "aw:", "sv:", "返信:", "返信：", "転送:", "転送："]

    static func isReply(_ subject: String) -> Bool {
        let s = subject.lowercased().trimmingCharacters(in: .whitespaces)
        return replyPrefixes.contains { s.hasPrefix($0) }
    }

    /// The subject without reply and forward prefixes, `[#n]` tokens, and case and width
    /// differences, so "Re: RE: 注文について" and "注文について" are one topic.
    static func topic(_ subject: String) -> String {
        var s = subject.precomposedStringWithCompatibilityMapping.lowercased()
        if let open = s.range(of: "[#"), let close = s[open.upperBound...].firstIndex(of: "]") {
            s.removeSubrange(open.lowerBound...close)
        }
        var changed = true
        while changed {
            changed = false
            s = s.trimmingCharacters(in: .whitespaces)
            for p in replyPrefixes.map({ $0.precomposedStringWithCompatibilityMapping }) where s.hasPrefix(p) {
                s.removeFirst(p.count)
                changed = true
            }
        }
        return s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
