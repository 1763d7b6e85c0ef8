import Crypto
import Foundation
import KotaeCore
import KotaeStore
import Logging

/// Does what each `InboundEvent` means, for every channel alike: messages through the
/// pipeline, everything else recorded once and told to the agents' screens.
struct InboundService: Sendable {
    let store: KotaeStore
    let hub: EventHub
    let pipeline: InboundPipeline
    let logger: Logger

    func handle(_ event: InboundEvent, inbox: Inbox) async throws {
        switch event {
        case .message(let m, let followUps):
            _ = try await pipeline.accept(m, inbox: inbox, followUps: followUps)
        case .echo(let identity, let threadKey, let externalId, let text, let isPublic, let automated, let at):
            try await store.conversations.recordEcho(
                inbox: inbox, identity: identity, threadKey: threadKey, externalId: externalId, text: text,
                isPublic: isPublic, automated: automated, at: at)
        case .replyEcho(let parent, let externalId, let text, let at):
            if let conversation = try await store.conversations.recordReplyEcho(
                inbox: inbox, parentExternalId: parent, externalId: externalId, text: text, at: at)
            {
                hub.publish(.messageCreated(conversation, message: nil, inbox: inbox.id))
            }
        case .read(let threadKey, let at):
            if let conversation = try await store.channelState.recordCustomerRead(inbox: inbox, threadKey: threadKey, at: at) {
                hub.publish(.conversationRead(conversation, inbox: inbox.id))
            }
        case .authorChange(let externalId, let verb, let text, let at):
            if let changed = try await store.conversations.recordAuthorChange(inbox: inbox, externalId: externalId, verb: verb, text: text, at: at) {
                hub.publish(.messageUpdated(changed.conversationId, message: changed.messageId, inbox: inbox.id))
            }
        case .follow(let identity, let followed, let key, let at):
            try await store.channelState.recordFollow(identity, followed: followed, at: at)
            try await store.channelState.recordChannelEvent(
                type: "\(identity.channel).\(followed ? "follow" : "unfollow")", key: key,
                data: [
                    "inboxId": String(inbox.id), "userId": identity.externalId, "eventId": key, "at": at.formatted(.iso8601),
                ])
        case .fetchLater(let key, let job):
            if try await store.jobs.enqueueOnce(key: key, job) { pipeline.wake.poke() }
        case .channelProblem(let reason, let record):
            if let record { try await store.channelState.recordChannelEvent(type: record.type, key: record.key, data: record.data) }
            try await store.inboxes.setChannelProblem(inboxId: inbox.id, reason)
        case .unreadable(let json, let reason):
            // The platform's batch is still answered 200 (or it would redeliver every event in
            // it, then drop them); the event is kept, once, for an engineer to read.
            logger.warning(
                "unreadable webhook event", metadata: ["channel": "\(inbox.channel.rawValue)", "inbox": "\(inbox.id)", "reason": "\(reason)"])
            let digest = Hex.encode(SHA256.hash(data: Data(json.utf8)))
            try await store.channelState.recordChannelEvent(
                type: inbox.channel.rawValue + ".unreadable", key: "\(inbox.id):\(digest)",
                data: ["json": json, "reason": reason])
        case .ignored:
            break
        }
    }
}
