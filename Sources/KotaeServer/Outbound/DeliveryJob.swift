import Foundation
import KotaeChannels
import KotaeCore
import KotaeStore

/// Sends one outbound message through its inbox's channel and records the outcome. Which
/// channel, and how, is the registered channel's business (`ChannelAdapter.send`).
struct DeliveryJob: Sendable {
    let store: KotaeStore
    let channels: ChannelRegistry
    let hub: EventHub

    func run(_ job: DeliverMessage) async throws -> JobRunner.JobResult {
        guard let message = try await store.conversations.message(id: job.messageId) else { return .fail("message not found") }
        if message.deliveryState == .sent { return .done }  // already sent by an earlier attempt
        guard let conversation = try await store.conversations.conversation(id: message.conversationId),
            let inbox = try await store.inboxes.find(id: message.inboxId),
            let contact = try await store.contacts.contact(id: conversation.contactId)
        else { return .fail("conversation not found") }

        let outcome: DeliveryOutcome
        if let channel = channels.adapter(for: inbox.channel) {
            outcome = try await channel.send(OutboundReply(message: message, conversation: conversation, contact: contact, inbox: inbox))
        } else {
            outcome = .permanent(reason: "sending on \(inbox.channel.rawValue) is not available yet")
        }

        switch outcome {
        case .delivered(let externalId):
            let recorded = try await store.conversations.setDelivery(messageId: message.id, state: .sent, error: nil, externalId: externalId)
            // Sending works again: whatever admins were told about this inbox no longer holds.
            if inbox.settings[Inbox.channelProblemSetting] != nil { try await store.inboxes.setChannelProblem(inboxId: inbox.id, nil) }
            hub.publish(.messageUpdated(conversation.id, message: message.id, inbox: inbox.id))
            if recorded.changed != nil { hub.publish(.conversationUpdated(conversation.id, inbox: inbox.id)) }
            return .done
        case .retry(let reason, let after):
            try await store.conversations.setDelivery(messageId: message.id, state: .queued, error: "retrying: " + reason, externalId: nil)
            return .retry(reason, after: after)
        case .throttled(let reason, let after):
            try await store.conversations.setDelivery(messageId: message.id, state: .queued, error: Self.throttledPrefix + reason, externalId: nil)
            return .throttled(reason, after: after)
        case .permanent(let reason):
            return .fail(reason)
        case .channelProblem(let reason):
            // It stops every reply of the inbox: admins see it on the inbox's settings until
            // new credentials are stored or a message goes through again.
            try? await store.inboxes.setChannelProblem(inboxId: inbox.id, reason)
            return .fail(reason)
        }
    }

    /// How a reply waiting out a platform's rate limit says so (the page tells it from other retries).
    static let throttledPrefix = "rate limited, waiting: "

    /// A delivery that will not be tried again: the message shows why.
    func markFailed(_ job: DeliverMessage, reason: String) async {
        let id = job.messageId
        guard let message = try? await store.conversations.message(id: id) else { return }
        guard let recorded = try? await store.conversations.setDelivery(messageId: id, state: .failed, error: reason, externalId: nil) else { return }
        hub.publish(.messageUpdated(message.conversationId, message: id, inbox: message.inboxId))
        if recorded.changed != nil {
            hub.publish(.conversationUpdated(message.conversationId, inbox: message.inboxId))
        }
        for user in recorded.notified {
            hub.publish(.notificationCreated(for: user, conversation: message.conversationId, message: id))
        }
    }
}
