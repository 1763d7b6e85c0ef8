import Foundation
import KotaeCore
import KotaeStore

/// What agents do to a conversation: stored, then told. Every screen hears of it, a colleague
/// of a notification meant for them, and the job runner wakes for a reply to send. Routes
/// call this, never the store and the hub themselves, so nothing is stored and left untold.
struct ConversationService: Sendable {
    let store: KotaeStore
    let hub: EventHub
    let wake: RunnerWake
    /// Rules on a status change; rules' own changes go through the store and set off none.
    let automation: RuleBook

    /// A reply to the customer (queued for its channel in the same transaction).
    func reply(
        conversationId id: ID, text: String, author: ID, attachments: [Attachment], privateReply: Bool, replyTo: ID?,
        details: MessageDetails = MessageDetails()
    ) async throws -> (Message, Conversation) {
        let (message, conversation) = try await store.conversations.reply(
            conversationId: id, text: text, author: author, attachments: attachments, privateReply: privateReply, replyTo: replyTo,
            details: details)
        hub.publish(.messageCreated(id, message: message.id, inbox: conversation.inboxId))
        wake.poke()
        return (message, conversation)
    }

    /// A reply held for a supervisor's approval: nothing goes to the customer yet; the admins hear of it.
    func hold(
        conversationId id: ID, text: String, author: ID, attachments: [Attachment], privateReply: Bool, replyTo: ID?, details: MessageDetails
    ) async throws -> (Message, Conversation) {
        let (message, notified) = try await store.conversations.holdForApproval(
            conversationId: id, text: text, author: author, attachments: attachments, privateReply: privateReply, replyTo: replyTo, details: details)
        for admin in notified { hub.publish(.notificationCreated(for: admin, conversation: id, message: message.id)) }
        hub.publish(.messageCreated(id, message: message.id, inbox: message.inboxId))
        guard let c = try await store.conversations.conversation(id: id) else { throw APIError.notFound("conversation") }
        return (message, c)
    }

    /// A supervisor's approval (with their edit, if any): queued for its channel, its author told.
    func approve(messageId: ID, approver: ID, text: String?) async throws -> (Message, Conversation) {
        let (message, c, notified) = try await store.conversations.approve(messageId: messageId, approver: approver, text: text)
        for user in notified { hub.publish(.notificationCreated(for: user, conversation: c.id, message: message.id)) }
        hub.publish(.messageUpdated(c.id, message: message.id, inbox: c.inboxId))
        hub.publish(.conversationUpdated(c.id, inbox: c.inboxId))
        wake.poke()
        return (message, c)
    }

    /// Sent back to its author with a comment.
    func returnForChanges(messageId: ID, reviewer: ID, comment: String) async throws -> Message {
        let (message, notified) = try await store.conversations.returnForChanges(messageId: messageId, reviewer: reviewer, comment: comment)
        for user in notified { hub.publish(.notificationCreated(for: user, conversation: message.conversationId, message: message.id)) }
        hub.publish(.messageUpdated(message.conversationId, message: message.id, inbox: message.inboxId))
        return message
    }

    /// A note for colleagues; the ones it mentions are notified.
    func note(conversationId id: ID, text: String, author: ID, mentions: [ID], attachments: [Attachment]) async throws -> Message {
        let (message, notified) = try await store.conversations.note(
            conversationId: id, text: text, author: author, mentions: mentions, attachments: attachments)
        hub.publish(.messageCreated(id, message: message.id, inbox: message.inboxId))
        for colleague in notified {
            hub.publish(.notificationCreated(for: colleague, conversation: id, message: message.id))
        }
        return message
    }

    /// Status, assignment, team, priority, labels, snooze: all or none. A new assignee other
    /// than the actor is notified (the store records it; their screen hears it here).
    func change(conversationId id: ID, _ changes: [ConversationChange], actor: ID) async throws -> Conversation {
        let assigns = changes.contains { if case .assign = $0 { true } else { false } }
        let before = assigns ? try await store.conversations.conversation(id: id)?.assigneeId : nil
        let c = try await store.conversations.change(conversationId: id, changes, actor: actor)
        hub.publish(.conversationUpdated(id, inbox: c.inboxId))
        if automation.has(.statusChanged), changes.contains(where: { if case .status = $0 { true } else { false } }) {
            // After the change's commit: a crash between the two loses this run of the rules.
            try await store.jobs.enqueue(RunAutomation(trigger: .statusChanged, conversationId: id))
            wake.poke()
        }
        if assigns, let assignee = c.assigneeId, assignee != before, assignee != actor {
            hub.publish(.notificationCreated(for: assignee, conversation: c.id, message: nil))
        }
        return c
    }

    /// The agent's retry of a failed delivery: queued again in one transaction.
    func retryDelivery(messageId id: ID, actor: ID) async throws {
        let (message, conversation) = try await store.conversations.retryDelivery(messageId: id, actor: actor)
        wake.poke()
        hub.publish(.messageUpdated(message.conversationId, message: id, inbox: message.inboxId))
        hub.publish(.conversationUpdated(conversation.id, inbox: conversation.inboxId))
    }
}
