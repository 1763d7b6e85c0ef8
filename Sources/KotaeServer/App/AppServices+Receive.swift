import Foundation
import KotaeCore
import KotaeStore

extension AppServices {
    /// Stores a customer's message from any channel exactly once, with its follow-up work,
    /// through the one inbound pipeline.
    public func receive(_ m: InboundMessage, inbox: Inbox) async throws -> Conversations.IngestOutcome {
        try await inbound.pipeline.accept(m, inbox: inbox)
    }
}
