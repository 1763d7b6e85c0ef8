import KotaeCore
import KotaeStore

/// On inboxes that turned the FAQ bot on (the chat widget, LINE, Messenger), each
/// private customer message gets the bot's turn, as a job written with the message.
struct FAQBotRule: InboundRule {
    static let setting = "faqBot"

    func followUps(for message: Message, in conversation: Conversation, inbox: Inbox) -> [FollowUp] {
        guard inbox.settings[Self.setting] == "true", [.line, .facebook, .chat].contains(inbox.channel), message.kind == .inbound,
            !conversation.isPublic
        else { return [] }
        return [.job(AnswerFromFAQ(conversationId: conversation.id, messageId: message.id))]
    }
}
