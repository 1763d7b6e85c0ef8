import Foundation
import KotaeCore
import SQLKit

/// Replies that wait for a supervisor (承認): held without a delivery job while the customer's
/// clock keeps running, then approved (perhaps edited) and queued, or sent back with a
/// comment (差戻し). Each step is one transaction with its audit row and notifications.
extension Conversations {
    /// Settings: the agents, and the inboxes, whose replies wait for approval.
    public static let approvalUsersSetting = "approval.userIds"
    public static let approvalInboxesSetting = "approval.inboxIds"

    /// A reply held for approval, as it will go (files, a private answer to a comment, the
    /// comment it answers, an email's Cc): stored, no job, the customer still waiting; the
    /// admins are told.
    public func holdForApproval(
        conversationId: ID, text: String, author: ID, attachments: [Attachment] = [], privateReply: Bool = false, replyTo: ID? = nil,
        details: MessageDetails = MessageDetails(), now: Date = Date()
    ) async throws -> (Message, notified: [ID]) {
        try await db.write { db in
            let (c, _) = try await Self.requireConversation(db, conversationId)
            if privateReply && !c.isPublic { throw StoreError.invalid("private: a private conversation has only private replies") }
            let target = try await Self.replyTarget(db, conversation: c, requested: replyTo)
            let message = try await Self.insertMessage(
                db, conversationId: c.id, inboxId: c.inboxId, kind: .outbound, author: author, text: text, html: nil, externalId: nil,
                delivery: .awaitingApproval, attachments: attachments, privateReply: privateReply, sentAt: nil, replyTo: target, details: details,
                now: now)!
            let admins = try await db.raw("SELECT id FROM users WHERE role = 'admin' AND disabled = 0").all().map { try $0.int("id") }
            let notified = try await KotaeStore.notify(
                db, admins, kind: .approvalRequested, conversation: c.id, message: message.id, actor: author, now: now)
            try await KotaeStore.appendEvent(
                db, type: "approval.requested", actor: author, conversation: c.id, data: ["messageId": String(message.id)])
            return (message, notified)
        }
    }

    /// Approved by `approver`, with `text` when they changed it: queued for its channel as any
    /// reply is, the author told. Nil text: sent as written.
    public func approve(messageId: ID, approver: ID, text: String?, now: Date = Date()) async throws -> (Message, Conversation, notified: [ID]) {
        try await db.write { db in
            var m = try await Self.held(db, messageId)
            var (c, inbox) = try await Self.requireConversation(db, m.conversationId)
            let original = c
            var note = ApprovalNote(by: approver)
            if let text, text != m.text {
                note.originalText = m.text
                m.text = text
            }
            m.details.approval = note
            m.deliveryState = .queued
            try await db.raw(
                """
                UPDATE messages SET text = \(bind: m.text), delivery_state = 'queued', details = \(bind: JSON.string(m.details))
                WHERE id = \(bind: m.id)
                """
            ).run()
            try c.clock.apply(.replyQueued(at: now), policy: inbox.slaPolicy)
            c.lastMessageAt = now
            c.snippet = Self.snippet(m.text)
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await self.jobs.enqueue(DeliverMessage(messageId: m.id), in: db, now: now)
            let notified = try await Self.tellAuthor(db, m, now: now, actor: approver)
            try await KotaeStore.appendEvent(
                db, type: "approval.approved", actor: approver, conversation: c.id,
                data: ["messageId": String(m.id), "edited": note.originalText == nil ? "false" : "true"])
            return (m, c, notified)
        }
    }

    /// Sent back to its author with `comment`; it will never be sent.
    public func returnForChanges(messageId: ID, reviewer: ID, comment: String, now: Date = Date()) async throws -> (Message, notified: [ID]) {
        try await db.write { db in
            var m = try await Self.held(db, messageId)
            m.details.approval = ApprovalNote(by: reviewer, comment: comment)
            m.deliveryState = .returned
            try await db.raw(
                "UPDATE messages SET delivery_state = 'returned', details = \(bind: JSON.string(m.details)) WHERE id = \(bind: m.id)"
            ).run()
            let notified = try await Self.tellAuthor(db, m, now: now, actor: reviewer)
            try await KotaeStore.appendEvent(
                db, type: "approval.returned", actor: reviewer, conversation: m.conversationId, data: ["messageId": String(m.id), "comment": comment])
            return (m, notified)
        }
    }

    private static func held(_ db: any SQLDatabase, _ id: ID) async throws -> Message {
        guard let m = try await db.raw("SELECT \(unsafeRaw: messageColumns) FROM messages WHERE id = \(bind: id)").first().map(message) else {
            throw StoreError.notFound("message")
        }
        guard m.deliveryState == .awaitingApproval else { throw StoreError.conflict("this reply is not waiting for approval") }
        return m
    }

    private static func tellAuthor(_ db: any SQLDatabase, _ m: Message, now: Date, actor: ID) async throws -> [ID] {
        guard let author = m.authorUserId else { return [] }
        return try await KotaeStore.notify(
            db, [author], kind: .approvalDecided, conversation: m.conversationId, message: m.id, actor: actor, now: now)
    }
}
