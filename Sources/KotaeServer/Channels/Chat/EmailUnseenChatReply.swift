import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// A reply in a widget conversation, to be emailed if the visitor has not seen it by now.
struct EmailUnseenChatReply: JobPayload, Equatable {
    static let kind = "chat.emailUnseen"
    @StoredNumber var messageId: ID

    init(messageId: ID) { self.messageId = messageId }
}

/// The conversation continues by email: a reply the visitor did not see in the widget (no
/// read from them since it was written) goes to the address they left, through the email
/// inbox the chat inbox names. A reply they saw is never emailed again.
struct EmailUnseenChatReplyJob: Sendable {
    let store: KotaeStore
    /// The email channel, which sends it.
    let email: any ChannelAdapter

    func run(_ p: EmailUnseenChatReply) async throws -> JobRunner.JobResult {
        guard let message = try await store.conversations.message(id: p.messageId), message.kind == .outbound,
            let conversation = try await store.conversations.conversation(id: message.conversationId),
            let inbox = try await store.inboxes.find(id: conversation.inboxId),
            let key = ChatVisitor.visitorKey(ofThread: conversation.threadKey),
            let address = try await store.chatVisitors.visitor(inbox: inbox.id, key: key)?.email
        else { return .done }
        if let read = try await store.channelState.customerReadAt(conversationId: conversation.id), read >= message.createdAt {
            return .done
        }
        let settings = try ChatSettings(stored: inbox.settings)
        guard let emailId = settings.emailInboxId.flatMap({ ID($0) }), let emailInbox = try await store.inboxes.find(id: emailId),
            emailInbox.channel == .email, var contact = try await store.contacts.contact(id: conversation.contactId)
        else {
            try await store.conversations.step(
                "chat.emailed", conversationId: conversation.id, data: ["address": address, "error": "no email inbox is set for this chat inbox"])
            return .done
        }
        contact.identities = [ContactIdentity(channel: "email", externalId: address)]
        let outcome = try await email.send(OutboundReply(message: message, conversation: conversation, contact: contact, inbox: emailInbox))
        switch outcome {
        case .delivered:
            try await store.conversations.step(
                "chat.emailed", conversationId: conversation.id, data: ["address": address, "messageId": String(message.id)])
            return .done
        case .retry(let reason, let after), .throttled(let reason, let after):
            return .retry(reason, after: after)
        case .permanent(let reason), .channelProblem(let reason):
            try await store.conversations.step("chat.emailed", conversationId: conversation.id, data: ["address": address, "error": reason])
            return .done
        }
    }
}
