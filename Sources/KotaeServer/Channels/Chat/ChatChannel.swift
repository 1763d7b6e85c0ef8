import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// The chat widget on the shop's site (`assets/widget.js`). Visitors come over a WebSocket
/// (`ChatSocketRoute`), not a webhook. A reply is stored before it is "sent": every open
/// widget of the visitor pulls it at once (`ChatSessions`), a closed one on reconnecting.
/// Sending only arranges the email: a reply still unseen after the inbox's delay goes to the
/// address the visitor left (`EmailUnseenChatReply`).
struct ChatChannel: ChannelAdapter {
    let store: KotaeStore
    let clock: AppClock
    let emailJob: EmailUnseenChatReplyJob

    var kinds: [ChannelKind] { [.chat] }
    var name: String { "Chat" }

    func form(for kind: ChannelKind) -> ChannelForm { ChannelForm(settings: ChatSettings.self, credentials: ChatCredentials.self) }

    func send(_ reply: OutboundReply) async throws -> DeliveryOutcome {
        let settings = try ChatSettings(stored: reply.inbox.settings)
        if let visitor = ChatVisitor.visitorKey(ofThread: reply.conversation.threadKey),
            try await store.chatVisitors.visitor(inbox: reply.inbox.id, key: visitor)?.email != nil
        {
            try await store.jobs.enqueue(EmailUnseenChatReply(messageId: reply.message.id), now: clock.now.addingTimeInterval(settings.emailDelay))
        }
        return .delivered(externalId: nil)
    }

    func register(_ jobs: inout JobHandlers) {
        jobs.on(EmailUnseenChatReply.self, run: emailJob.run)
    }
}
