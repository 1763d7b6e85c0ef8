import Foundation
import KotaeCore
import SQLKit

extension Conversations {
    /// The FAQ bot's message: queued for delivery like any automated message (it never counts
    /// as a person's answer, so the customer's clock keeps running), with its step on the
    /// timeline, in one transaction.
    public func botReply(_ text: String, conversationId: ID, article: String, now: Date = Date()) async throws -> Message? {
        try await db.write { db in
            guard let c = try await Self.loadConversation(db, id: conversationId) else { return nil }
            var details = MessageDetails()
            details.bot = article
            let message = try await queueAutomated(text, in: c, details: details, db: db, now: now)
            try await KotaeStore.appendEvent(db, type: "bot.answered", actor: nil, conversation: c.id, data: ["article": article])
            return message
        }
    }

    /// The bot hands the conversation to a person: the step on the timeline with its reason, and a
    /// person's first response counts from now (the reports' hand-off), in one transaction.
    public func handOff(conversationId: ID, reason: String, now: Date = Date()) async throws {
        try await db.write { db in
            var (c, inbox) = try await Self.requireConversation(db, conversationId)
            let original = c
            try c.clock.apply(.handOff(at: now), policy: inbox.slaPolicy)
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await Reports.recordHandOff(db, conversation: c, inbox: inbox, at: now)
            try await KotaeStore.appendEvent(db, type: "bot.handOff", actor: nil, conversation: c.id, data: ["reason": reason])
        }
    }

    /// A step on the timeline by Kotae itself: the bot's `bot.handOff` with its reason, `bot.feedback` with the answer; the chat widget's `chat.emailed`.
    public func step(_ type: String, conversationId: ID, data: [String: String]) async throws {
        try await db.write { db in try await KotaeStore.appendEvent(db, type: type, actor: nil, conversation: conversationId, data: data) }
    }
}
