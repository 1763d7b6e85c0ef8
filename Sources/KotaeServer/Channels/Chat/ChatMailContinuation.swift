import Foundation
import KotaeCore
import KotaeMail
import KotaeStore

/// A visitor's answer by email to a reply Kotae emailed them from a widget conversation
/// (`EmailUnseenChatReply`): it goes back into that conversation, so the conversation goes
/// on by email. Recognised only by Kotae's signed token in the references or the reply
/// address, and only in the email inbox the chat inbox sends through.
struct ChatMailContinuation: Sendable {
    let store: KotaeStore
    let tokens: MailTokens

    /// The chat inbox and thread `mail` continues, if it answers one of its replies.
    func target(of mail: MailMessage, arrivedIn inbox: Inbox) async throws -> (inbox: Inbox, threadKey: String)? {
        let named =
            (mail.references + mail.inReplyTo).reversed().compactMap(tokens.conversation(fromMessageId:))
            + (mail.to + mail.cc).compactMap { tokens.conversation(fromAddress: $0.normalized) }
        for id in named {
            guard let c = try await store.conversations.conversation(id: id), c.channel == .chat,
                let chat = try await store.inboxes.find(id: c.inboxId),
                try ChatSettings(stored: chat.settings).emailInboxId == String(inbox.id)
            else { continue }
            return (chat, c.threadKey)
        }
        return nil
    }
}
