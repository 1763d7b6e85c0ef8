import Foundation
import KotaeCore
import SQLKit

/// Work that follows from a customer's message, written in the same transaction as the
/// message: after a crash either both are there or neither, and a platform's redelivery
/// (deduplicated by the message's id) can never find the message without its work.
public enum FollowUp: Sendable {
    /// A background job (fetch a picture, a profile, …).
    case job(any JobPayload)
    /// A job queued only the first time `key` is claimed (once per contact, not per message).
    case jobOnce(key: String, any JobPayload)
    /// The platform's short-lived token for answering this message (LINE).
    case replyToken(String, receivedAt: Date)
    /// Labels put on the conversation (listening keywords).
    case labels([String])
    /// An email address found not to exist (a bounce's 5.1.x, with the server's words), or,
    /// with nil, found to work again (mail came from it).
    case deliverability(address: String, undeliverable: String?)

    /// Whether the job runner should look at the queue once this is committed.
    public var queuesJob: Bool {
        switch self {
        case .job, .jobOnce: true
        case .replyToken, .labels, .deliverability: false
        }
    }

    /// Whether the agents' screens should hear that the conversation changed.
    public var changesConversation: Bool {
        if case .labels(let names) = self { !names.isEmpty } else { false }
    }
}

extension Conversations {
    /// Writes `work` inside the ingest's transaction.
    func write(
        _ work: [FollowUp], conversation: inout Conversation, inbox: Inbox,
        db: any SQLDatabase, now: Date
    ) async throws {
        for item in work {
            switch item {
            case .job(let payload):
                try await jobs.enqueue(payload, in: db, now: now)
            case .jobOnce(let key, let payload):
                if try await OnceKeys.claim(key, in: db, now: now) {
                    try await jobs.enqueue(payload, in: db, now: now)
                }
            case .replyToken(let token, let at):
                try await ChannelState.saveReplyToken(db, conversationId: conversation.id, token: token, at: at)
            case .deliverability(let address, let reason):
                try await ChannelState.setUndeliverable(db, address: address, reason: reason, at: now)
            case .labels(let names):
                let new = names.filter { !conversation.labels.contains($0) }
                guard !new.isEmpty else { continue }
                try await apply(.labels(add: new, remove: []), to: &conversation, inbox: inbox, db: db, actor: nil, now: now)
            }
        }
    }
}
