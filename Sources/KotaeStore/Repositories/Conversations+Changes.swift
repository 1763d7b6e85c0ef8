import Foundation
import KotaeCore
import SQLKit

/// What an agent can change on a conversation.
public enum ConversationChange: Sendable, Equatable {
    case status(ConversationStatus, reason: NoReplyReason?)
    case snooze(until: Date)
    case assign(userId: ID?)
    case team(ID?)
    case priority(Priority)
    case labels(add: [String], remove: [String])
}

extension Conversations {
    static func requireConversation(_ db: any SQLDatabase, _ id: ID) async throws -> (Conversation, Inbox) {
        guard let c = try await Self.loadConversation(db, id: id) else { throw StoreError.notFound("conversation") }
        guard
            let inbox = try await db.raw("SELECT \(unsafeRaw: Inboxes.inboxColumns) FROM inboxes WHERE id = \(bind: c.inboxId)").first().map(
                Inboxes.inbox)
        else {
            throw StoreError.notFound("inbox")
        }
        return (c, inbox)
    }

    /// Applies one change in a transaction with its audit event; rule violations
    /// (closing a waiting customer without a reason) throw `ConversationClock.RuleError`.
    public func change(conversationId: ID, _ change: ConversationChange, actor: ID?, now: Date = Date()) async throws -> Conversation {
        try await self.change(conversationId: conversationId, [change], actor: actor, now: now)
    }

    /// Applies several changes in one transaction: all of them, or none.
    public func change(conversationId: ID, _ changes: [ConversationChange], actor: ID?, now: Date = Date()) async throws -> Conversation {
        try await db.write { db in
            var (c, inbox) = try await Self.requireConversation(db, conversationId)
            let original = c
            for change in changes {
                try await self.apply(change, to: &c, inbox: inbox, db: db, actor: actor, now: now)
            }
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
            return c
        }
    }

    func apply(
        _ change: ConversationChange, to c: inout Conversation, inbox: Inbox, db: any SQLDatabase,
        actor: ID?, now: Date
    ) async throws {
        var data: [String: String] = [:]
        let type: String
        switch change {
        case .status(let s, let reason):
            let was = c.status
            try c.clock.apply(.setStatus(s, at: now, reason: reason), policy: inbox.slaPolicy)
            // A real resolution (not spam, not "no answer needed") asks the customer how it went.
            if s == .resolved, was != .resolved, reason == nil {
                try await CSATSurveys.schedule(db, conversationId: c.id, resolvedBy: actor, now: now)
            }
            // Reopened: a follow-up after a fix would interrupt the conversation going on.
            if was == .resolved, s != .resolved {
                try await DeliveryFollowUps.cancelWaiting(db, conversationId: c.id, note: "the conversation was reopened", now: now)
            }
            // Closed with a reason: its unanswered comments were dealt with, consciously.
            if reason != nil && s != .open { try await Self.markAllHandled(db, conversationId: c.id, at: now) }
            type = "conversation.status"
            data = ["status": s.rawValue]
            if let reason { data["reason"] = reason.rawValue }
        case .snooze(let until):
            try c.clock.apply(.snooze(until: until, at: now), policy: inbox.slaPolicy)
            type = "conversation.snoozed"
            data = ["until": ISO8601DateFormatter().string(from: until)]
        case .assign(let user):
            if let user, try await db.raw("SELECT id FROM users WHERE id = \(bind: user) AND disabled = 0").first() == nil {
                throw StoreError.invalid("assigneeId: no active user \(user)")
            }
            if let user, user != c.assigneeId {
                _ = try await KotaeStore.notify(db, [user], kind: .assigned, conversation: c.id, message: nil, actor: actor, now: now)
            }
            c.assigneeId = user
            type = "conversation.assigned"
            data = ["assigneeId": user.map(String.init) ?? ""]
        case .team(let team):
            if let team, try await db.raw("SELECT id FROM teams WHERE id = \(bind: team)").first() == nil {
                throw StoreError.invalid("teamId: no team \(team)")
            }
            c.teamId = team
            type = "conversation.team"
            data = ["teamId": team.map(String.init) ?? ""]
        case .priority(let p):
            c.priority = p
            type = "conversation.priority"
            data = ["priority": p.rawValue]
        case .labels(let add, let remove):
            for l in add where !c.labels.contains(l) {
                try KotaeStore.validateLabel(name: l)
                try await KotaeStore.ensureLabel(db, l)
                try await db.raw(
                    """
                    INSERT INTO conversation_labels (conversation_id, label, status, sla_sort)
                    VALUES (\(bind: c.id), \(bind: l), \(bind: c.clock.status.rawValue), \(bind: Self.slaSort(c.clock)))
                    """
                ).run()
            }
            for l in remove {
                try await db.raw("DELETE FROM conversation_labels WHERE conversation_id = \(bind: c.id) AND label = \(bind: l)").run()
            }
            c.labels = Array(Set(c.labels).union(add).subtracting(remove)).sorted()
            type = "conversation.labels"
            data = ["add": add.joined(separator: ","), "remove": remove.joined(separator: ",")]
        }
        try await KotaeStore.appendEvent(db, type: type, actor: actor, conversation: c.id, data: data)
    }

    /// Wakes every snoozed conversation whose time has come; returns their ids.
    public func wakeSnoozed(now: Date = Date()) async throws -> [ID] {
        let due = try await db.read { db in
            try await db.raw("SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= \(bind: now.epoch)").all().map {
                try $0.int("id")
            }
        }
        for id in due {
            try await db.write { db in
                var (c, inbox) = try await Self.requireConversation(db, id)
                let original = c
                try c.clock.apply(.wake(at: now), policy: inbox.slaPolicy)
                try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
                try await KotaeStore.appendEvent(db, type: "conversation.woke", actor: nil, conversation: id, data: [:])
            }
        }
        return due
    }

    /// An agent's reply: the outbound message (queued) and its delivery job in one
    /// transaction, so a reply is never lost and never sent without a record.
    /// `privateReply` answers a public comment privately; only a public conversation has that choice.
    /// In a public conversation, `replyTo` names the comment it answers (default: the latest
    /// unanswered one).
    public func reply(
        conversationId: ID, text: String, author: ID?, attachments: [Attachment] = [], privateReply: Bool = false,
        replyTo: ID? = nil, details: MessageDetails = MessageDetails(), now: Date = Date()
    ) async throws -> (Message, Conversation) {
        return try await db.write { db in
            var (c, inbox) = try await Self.requireConversation(db, conversationId)
            if privateReply && !c.isPublic { throw StoreError.invalid("private: a private conversation has only private replies") }
            let original = c
            let target = try await Self.replyTarget(db, conversation: c, requested: replyTo)
            let message = try await Self.insertMessage(
                db, conversationId: c.id, inboxId: c.inboxId, kind: .outbound,
                author: author, text: text, html: nil, externalId: nil, delivery: .queued, attachments: attachments,
                privateReply: privateReply, sentAt: nil, replyTo: target, details: details, now: now)!
            // The customer is answered when the platform accepts it (setDelivery), not now.
            try c.clock.apply(.replyQueued(at: now), policy: inbox.slaPolicy)
            c.lastMessageAt = now
            c.snippet = Self.snippet(text)
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await self.jobs.enqueue(DeliverMessage(messageId: message.id), in: db, now: now)
            try await KotaeStore.appendEvent(db, type: "message.queued", actor: author, conversation: c.id, data: ["messageId": String(message.id)])
            return (message, c)
        }
    }

    /// Sends a failed reply again: queued, its job and the clock's "sending" in one transaction.
    public func retryDelivery(messageId: ID, actor: ID?, now: Date = Date()) async throws -> (Message, Conversation) {
        try await db.write { db in
            guard
                let m = try await db.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE id = \(bind: messageId)").first().map(
                    Self.message),
                m.kind == .outbound
            else { throw StoreError.notFound("outbound message") }
            guard m.deliveryState == .failed else { throw StoreError.conflict("only a failed delivery can be retried") }
            var (c, inbox) = try await Self.requireConversation(db, m.conversationId)
            let original = c
            try await db.raw("UPDATE messages SET delivery_state = 'queued', delivery_error = NULL WHERE id = \(bind: messageId)").run()
            try c.clock.apply(.replyQueued(at: now), policy: inbox.slaPolicy)
            try await Self.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await self.jobs.enqueue(DeliverMessage(messageId: messageId), in: db, now: now)
            try await KotaeStore.appendEvent(db, type: "message.retried", actor: actor, conversation: c.id, data: ["messageId": String(messageId)])
            var queued = m
            queued.deliveryState = .queued
            queued.deliveryError = nil
            return (queued, c)
        }
    }

    /// A private note between agents: stored, never sent, no effect on the clock. Each
    /// colleague @mentioned gets a notification in the same transaction; returns who did.
    public func note(
        conversationId: ID, text: String, author: ID, mentions: [ID] = [], attachments: [Attachment] = [],
        now: Date = Date()
    ) async throws -> (Message, notified: [ID]) {
        return try await db.write { db in
            let (c, _) = try await Self.requireConversation(db, conversationId)
            let message = try await Self.insertMessage(
                db, conversationId: c.id, inboxId: c.inboxId, kind: .note,
                author: author, text: text, html: nil, externalId: nil, delivery: .sent, attachments: attachments, sentAt: now, now: now)!
            let notified = try await KotaeStore.notify(db, mentions, kind: .mention, conversation: c.id, message: message.id, actor: author, now: now)
            try await KotaeStore.appendEvent(
                db, type: "note.added", actor: author, conversation: c.id,
                data: ["messageId": String(message.id), "mentions": notified.map(String.init).joined(separator: ",")])
            return (message, notified)
        }
    }
}
