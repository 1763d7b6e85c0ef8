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
    /// An automatic answer sent on the customer's thread (an autoresponder): at most once
    /// per conversation per `interval`, at most `cap` in a conversation, never counted as a
    /// reply (it answers no one). `at` is the server's time of the customer's message.
    case automatedReply(text: String, interval: TimeInterval, cap: Int, at: Date)
    /// An unassigned conversation given to the next agent online with room (`Assignments`).
    case autoAssign(onlineSince: Date)

    /// Whether the job runner should look at the queue once this is committed.
    public var queuesJob: Bool {
        switch self {
        case .job, .jobOnce, .automatedReply: true
        case .replyToken, .labels, .deliverability, .autoAssign: false
        }
    }

    /// Whether the agents' screens should hear that the conversation changed.
    public var changesConversation: Bool {
        switch self {
        case .labels(let names): !names.isEmpty
        case .autoAssign: true
        default: false
        }
    }
}

extension Conversations {
    /// Queues an automatic answer unless this conversation had one within `interval` or
    /// already `cap` of them (a loop with another program's auto-replies ends there).
    func sendAutomatedReply(_ text: String, in c: Conversation, interval: TimeInterval, cap: Int, db: any SQLDatabase, now: Date) async throws {
        let earlier = try await db.raw(
            """
            SELECT COUNT(*) AS n, MAX(created_at) AS last FROM messages
            WHERE conversation_id = \(bind: c.id) AND kind = 'automated' AND details LIKE '%"autoReply":true%'
            """
        ).first()
        let count = try earlier?.decode(column: "n", as: Int.self) ?? 0
        let last = try earlier?.decode(column: "last", as: Double?.self)
        guard count < cap, last.map({ now.timeIntervalSince1970 - $0 >= interval }) ?? true else { return }
        let message = try await queueAutomated(text, in: c, details: MessageDetails(autoReply: true), db: db, now: now)
        try await KotaeStore.appendEvent(db, type: "message.autoReplied", actor: nil, conversation: c.id, data: ["messageId": String(message.id)])
    }

    /// A message Kotae sends by itself (an autoresponse, a follow-up, a survey) on the
    /// conversation's thread — privately when the conversation is a public one — queued for
    /// delivery in the caller's transaction.
    func queueAutomated(
        _ text: String, in c: Conversation, details: MessageDetails = MessageDetails(), privately: Bool = false, db: any SQLDatabase, now: Date
    ) async throws -> Message {
        let message = try await Self.insertMessage(
            db, conversationId: c.id, inboxId: c.inboxId, kind: .automated, author: nil, text: text, html: nil, externalId: nil,
            delivery: .queued, attachments: [], privateReply: privately, sentAt: nil, details: details, now: now)!
        try await jobs.enqueue(DeliverMessage(messageId: message.id), in: db, now: now)
        return message
    }

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
            case .automatedReply(let text, let interval, let cap, let at):
                try await sendAutomatedReply(text, in: conversation, interval: interval, cap: cap, db: db, now: at)
            case .autoAssign(let onlineSince):
                guard conversation.assigneeId == nil, let agent = try await Assignments.next(db, onlineSince: onlineSince, now: now) else { continue }
                let original = conversation
                try await apply(.assign(userId: agent), to: &conversation, inbox: inbox, db: db, actor: nil, now: now)
                try await Self.saveConversation(db, conversation, original: original, inbox: inbox, now: now)
            case .labels(let names):
                let new = names.filter { !conversation.labels.contains($0) }
                guard !new.isEmpty else { continue }
                try await apply(.labels(add: new, remove: []), to: &conversation, inbox: inbox, db: db, actor: nil, now: now)
            }
        }
    }
}
