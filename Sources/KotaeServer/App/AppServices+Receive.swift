import Crypto
import Foundation
import KotaeCore
import KotaeStore

extension AppServices {
    /// Stores a customer's message from any channel exactly once, with its follow-up work,
    /// through the one inbound pipeline.
    public func receive(_ m: InboundMessage, inbox: Inbox) async throws -> KotaeStore.IngestOutcome {
        try await inbound.accept(m, inbox: inbox)
    }
}

extension AppServices {
    /// A webhook event Kotae could not read. The platform's batch is still answered 200 (or
    /// it would redeliver every event in it, then drop them), and the event is kept, once,
    /// for an engineer to read: nothing a customer sent is lost.
    func keepUnreadable(json: String, reason: String, channel: String, inbox: Inbox) async throws {
        logger.warning("unreadable webhook event", metadata: ["channel": "\(channel)", "inbox": "\(inbox.id)", "reason": "\(reason)"])
        let digest = Hex.encode(SHA256.hash(data: Data(json.utf8)))
        try await store.recordChannelEvent(type: channel + ".unreadable", key: "\(inbox.id):\(digest)", data: ["json": json, "reason": reason])
    }
}

extension AppServices {
    /// A customer edited, removed or unsent a message on the platform: recorded on it, and
    /// the agents who have it open see the note at once.
    func recordAuthorChange(inbox: Inbox, externalId: String, verb: String, text: String?, at: Date) async throws {
        guard let changed = try await store.recordAuthorChange(inbox: inbox, externalId: externalId, verb: verb, text: text, at: at) else { return }
        hub.publish(.messageUpdated(changed.conversationId, message: changed.messageId, inbox: inbox.id))
    }
}

extension AppServices {
    /// The customer read the shop's messages up to `at`: the open page shows them as read.
    func recordCustomerRead(inbox: Inbox, threadKey: String, at: Date) async throws {
        guard let conversation = try await store.recordCustomerRead(inbox: inbox, threadKey: threadKey, at: at) else { return }
        hub.publish(.conversationRead(conversation, inbox: inbox.id))
    }
}
