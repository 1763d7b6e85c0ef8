import Foundation
import KotaeCore
import KotaeStore

extension AppServices {
    /// Stores a customer's message from any channel exactly once, counts it, and tells the
    /// agents' screens (with the assignee, whose browser may ring for their own customer).
    /// Every channel's door into the core goes through here.
    func receive(_ m: InboundMessage, inbox: Inbox) async throws -> KotaeStore.IngestOutcome {
        let outcome = try await store.ingest(m, inbox: inbox)
        switch outcome {
        case .created(let message, let conversation):
            metrics.ingested.increment()
            hub.publish(HubEvent(type: "message.created", conversationId: conversation.id, messageId: message.id,
                                 inboxId: inbox.id, userId: conversation.assigneeId))
        case .duplicate:
            metrics.duplicates.increment()
        }
        return outcome
    }
}
