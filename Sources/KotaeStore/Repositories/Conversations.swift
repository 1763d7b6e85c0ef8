import Foundation
import KotaeCore
import SQLKit

/// Conversations and their messages: the inbox's one aggregate. A customer's message is
/// stored once with its conversation, clock, audit row and follow-up work (`ingest`); agents'
/// replies, notes and changes are written with their clock and jobs in one transaction.
public struct Conversations: Sendable {
    let db: KotaeDatabase

    var dialect: SQLDialectKind { db.dialect }
    var jobs: JobQueue { JobQueue(db: db) }
}

extension Conversations {
    static let conversationColumns = """
        c.id, c.inbox_id, i.channel, c.contact_id, ct.name AS contact_name, c.thread_key, c.status, c.priority,
        c.assignee_id, c.team_id, c.is_public, c.needs_reply, c.waiting_since, c.first_response_due,
        c.next_response_due, c.resolution_due, c.first_responded_at, c.resolved_at, c.pending_since,
        c.snoozed_until, c.no_reply_reason, c.first_response_seconds, c.resolution_seconds, c.paused_seconds,
        c.cycle_started_at, c.last_answered_at, c.response_window_since, c.sla_due_at, c.sla_warn_at, c.last_message_at, c.snippet, c.created_at, c.updated_at,
        c.reply_sending_since, c.reply_failed_at, c.intent, c.urgent
        """
    static let conversationFrom = "conversations c JOIN inboxes i ON i.id = c.inbox_id JOIN contacts ct ON ct.id = c.contact_id"

    static func conversation(_ r: any SQLRow, labels: [String]) throws -> Conversation {
        var clock = ConversationClock(openedAt: try r.date("created_at"))
        clock.status = try r.enumValue("status", ConversationStatus.self)
        clock.cycleStartedAt = try r.date("cycle_started_at")
        clock.needsReply = try r.bool("needs_reply")
        clock.waitingSince = try r.dateOpt("waiting_since")
        clock.firstRespondedAt = try r.dateOpt("first_responded_at")
        clock.firstResponseDue = try r.dateOpt("first_response_due")
        clock.nextResponseDue = try r.dateOpt("next_response_due")
        clock.resolutionDue = try r.dateOpt("resolution_due")
        clock.resolvedAt = try r.dateOpt("resolved_at")
        clock.pendingSince = try r.dateOpt("pending_since")
        clock.snoozedUntil = try r.dateOpt("snoozed_until")
        clock.noReplyReason = try r.stringOpt("no_reply_reason").flatMap(NoReplyReason.init(rawValue:))
        clock.firstResponseSeconds = try r.doubleOpt("first_response_seconds")
        clock.resolutionSeconds = try r.doubleOpt("resolution_seconds")
        clock.pausedSeconds = try r.double("paused_seconds")
        clock.slaDueAt = try r.dateOpt("sla_due_at")
        clock.slaWarnAt = try r.dateOpt("sla_warn_at")
        clock.replySendingSince = try r.dateOpt("reply_sending_since")
        clock.replyFailedAt = try r.dateOpt("reply_failed_at")
        clock.lastAnsweredAt = try r.dateOpt("last_answered_at")
        clock.responseWindowSince = try r.dateOpt("response_window_since")
        var c = Conversation(
            id: try r.int("id"), inboxId: try r.int("inbox_id"), channel: try r.enumValue("channel", ChannelKind.self),
            contactId: try r.int("contact_id"), contactName: try r.string("contact_name"), threadKey: try r.string("thread_key"),
            priority: try r.enumValue("priority", Priority.self), assigneeId: try r.intOpt("assignee_id"),
            teamId: try r.intOpt("team_id"), isPublic: try r.bool("is_public"), labels: labels, clock: clock,
            lastMessageAt: try r.date("last_message_at"), snippet: try r.string("snippet"), updatedAt: try r.date("updated_at"))
        c.intent = try r.stringOpt("intent").flatMap(TriageIntent.init(rawValue:))
        c.urgent = try r.bool("urgent")
        return c
    }

    /// Sorting key for "SLA due first": conversations with nothing due sort last.
    static func slaSort(_ clock: ConversationClock) -> Double { clock.slaDueAt?.epoch ?? 1e12 }

    /// Sorting key for "waiting longest": since when the customer waits; nobody waiting sorts last.
    static func waitSort(_ clock: ConversationClock) -> Double { clock.waitingSince?.epoch ?? 1e12 }

    /// Sorting key for "priority first": the rank in steps larger than any due time, so
    /// one ascending column orders by priority, then by due time.
    static func prioritySort(_ c: Conversation) -> Double { slaSort(c.clock) - 1e13 * Double(c.priority.rank) }

    static func loadConversation(_ db: any SQLDatabase, id: ID) async throws -> Conversation? {
        guard
            let r = try await db.raw(
                "SELECT \(unsafeRaw: Self.conversationColumns) FROM \(unsafeRaw: Self.conversationFrom) WHERE c.id = \(bind: id)"
            ).first()
        else {
            return nil
        }
        let labels = try await db.raw("SELECT label FROM conversation_labels WHERE conversation_id = \(bind: id) ORDER BY label").all().map {
            try $0.string("label")
        }
        return try Self.conversation(r, labels: labels)
    }

    public func conversation(id: ID) async throws -> Conversation? {
        try await db.read { db in try await Self.loadConversation(db, id: id) }
    }

    /// Writes every mutable field of a conversation back.
    /// Writes the columns of `c` that differ from `original` (as loaded in this transaction).
    /// Why not all of them: every SET column rewrites the entries of each index that holds it,
    /// and a new message usually changes only the clock, the snippet and the time.
    /// Saves what changed, with what the change means for reports (`Reports.record`).
    static func saveConversation(
        _ db: any SQLDatabase, _ c: Conversation, original: Conversation, inbox: Inbox, now: Date, arrival: Reports.Arrival? = nil
    ) async throws {
        let old = Self.storedColumns(original)
        var sql = SQLQueryString("UPDATE conversations SET updated_at = \(bind: now.epoch)")
        for (i, (name, value)) in Self.storedColumns(c).enumerated() where value != old[i].value {
            sql.appendLiteral(", \(name) = ")
            sql.appendInterpolation(bind: value)
        }
        sql.appendLiteral(" WHERE id = ")
        sql.appendInterpolation(bind: c.id)
        try await db.raw(sql).run()
        // The label rows' copy of status and due time (label views read them; migration 12).
        // Not guarded by c.labels: not every load reads the labels.
        let sort = Self.slaSort(c.clock)
        if c.clock.status != original.clock.status || sort != Self.slaSort(original.clock) {
            try await db.raw(
                """
                UPDATE conversation_labels SET status = \(bind: c.clock.status.rawValue), sla_sort = \(bind: sort)
                WHERE conversation_id = \(bind: c.id)
                """
            ).run()
        }
        try await Reports.record(db, before: original, after: c, inbox: inbox, now: now, arrival: arrival)
    }

    /// The columns `saveConversation` may write, in a fixed order.
    private static func storedColumns(_ c: Conversation) -> [(name: String, value: ColumnValue)] {
        let k = c.clock
        return [
            ("status", .text(k.status.rawValue)), ("priority", .text(c.priority.rawValue)),
            ("assignee_id", .int(c.assigneeId)), ("team_id", .int(c.teamId)), ("is_public", .bool(c.isPublic)),
            ("needs_reply", .bool(k.needsReply)), ("waiting_since", .real(k.waitingSince.epoch)),
            ("first_response_due", .real(k.firstResponseDue.epoch)), ("next_response_due", .real(k.nextResponseDue.epoch)),
            ("resolution_due", .real(k.resolutionDue.epoch)), ("first_responded_at", .real(k.firstRespondedAt.epoch)),
            ("resolved_at", .real(k.resolvedAt.epoch)), ("pending_since", .real(k.pendingSince.epoch)),
            ("snoozed_until", .real(k.snoozedUntil.epoch)), ("no_reply_reason", .text(k.noReplyReason?.rawValue)),
            ("first_response_seconds", .real(k.firstResponseSeconds)), ("resolution_seconds", .real(k.resolutionSeconds)),
            ("paused_seconds", .real(k.pausedSeconds)), ("cycle_started_at", .real(k.cycleStartedAt.epoch)),
            ("sla_due_at", .real(k.slaDueAt.epoch)), ("sla_warn_at", .real(k.slaWarnAt.epoch)),
            ("sla_sort", .real(slaSort(k))), ("last_message_at", .real(c.lastMessageAt.epoch)), ("snippet", .text(c.snippet)),
            ("reply_sending_since", .real(k.replySendingSince.epoch)), ("reply_failed_at", .real(k.replyFailedAt.epoch)),
            ("priority_sort", .real(prioritySort(c))), ("wait_sort", .real(waitSort(k))),
            ("last_answered_at", .real(k.lastAnsweredAt.epoch)), ("response_window_since", .real(k.responseWindowSince.epoch)),
            ("intent", .text(c.intent?.rawValue)), ("urgent", .bool(c.urgent)),
        ]
    }

    static func snippet(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 140 ? String(flat.prefix(139)) + "…" : flat
    }

    // MARK: Ingest

    public enum IngestOutcome: Sendable {
        /// Stored, with the follow-up work written in the same transaction.
        case created(Message, Conversation, followUps: [FollowUp])
        /// The platform sent this message before; nothing was changed.
        case duplicate(Message)

        public var message: Message {
            switch self {
            case .created(let m, _, _), .duplicate(let m): m
            }
        }
    }

    /// Stores an inbound message exactly once: contact, conversation, clock, message, search
    /// index and audit event in one transaction. The same `(inbox, externalId)` again is a
    /// duplicate and changes nothing.
    /// `followUps` names the work that follows from a new message; it is written in the same
    /// transaction as the message (a duplicate asks for none: its work was written with it).
    public func ingest(
        _ m: InboundMessage, inbox: Inbox, now: Date = Date(),
        followUps: @escaping @Sendable (Message, Conversation) -> [FollowUp] = { _, _ in [] }
    ) async throws -> IngestOutcome {
        do {
            return try await ingestOnce(m, inbox: inbox, now: now, followUps: followUps)
        } catch is RetryableConflict {
            return try await ingestOnce(m, inbox: inbox, now: now, followUps: followUps)
        }
    }

    private func ingestOnce(
        _ given: InboundMessage, inbox: Inbox, now: Date,
        followUps: @escaping @Sendable (Message, Conversation) -> [FollowUp]
    ) async throws -> IngestOutcome {
        // Every channel's time is range-checked here too, so no clock starts in year 1.
        let m = given.withPlausibleTime(receivedAt: now)
        return try await db.write { db in
            // One look-up answers both "seen this message before?" and "do we know this person?".
            let known = try await db.raw(
                """
                SELECT (SELECT id FROM messages WHERE inbox_id = \(bind: inbox.id) AND external_id = \(bind: m.externalId)) AS duplicate_id,
                       (SELECT contact_id FROM contact_identities WHERE channel = \(bind: m.identity.channel) AND external_id = \(bind: m.identity.externalId)) AS contact_id
                """
            ).first()
            if let dup = try known?.intOpt("duplicate_id") {
                let existing = try await db.raw("SELECT \(unsafeRaw: Self.messageColumns) FROM messages WHERE id = \(bind: dup)").first()!
                return .duplicate(try Self.message(existing))
            }
            // The clock starts when the customer wrote, never in the future.
            let at = min(m.sentAt, now)
            let contactId: ID
            if let known = try known?.intOpt("contact_id") {
                contactId = known
            } else {
                contactId = try await Contacts.findOrCreateContact(
                    db, identity: m.identity, name: m.contactName,
                    email: m.contactEmail, phone: m.contactPhone, at: at)
            }
            let (found, original, isNew) = try await Self.conversation(
                db, inbox: inbox, contactId: contactId,
                threadKey: m.threadKey ?? ThreadKind.contact.key(String(contactId)),
                isPublic: m.isPublic, at: at, now: now)
            var conversation = found
            if m.needsReply {
                try conversation.clock.apply(.inbound(at: at), policy: inbox.slaPolicy)
            }
            conversation.lastMessageAt = max(conversation.lastMessageAt, at)
            conversation.snippet = Self.snippet(m.text)
            if let t = m.details.triage {
                conversation.intent = t.intent
                conversation.urgent = t.urgent
            }
            try await Self.saveConversation(
                db, conversation, original: original, inbox: inbox, now: now,
                arrival: Reports.Arrival(at: at, newConversation: isNew))

            let message = try await Self.insertMessage(
                db, conversationId: conversation.id, inboxId: inbox.id,
                kind: .inbound, author: nil, text: m.text, html: m.html, externalId: m.externalId,
                delivery: .received, attachments: m.attachments, sentAt: m.sentAt, timeNote: m.timeNote, details: m.details, now: now)
            guard let message else { throw RetryableConflict() }
            let work = followUps(message, conversation)
            if !work.isEmpty {
                try await self.write(work, conversation: &conversation, inbox: inbox, db: db, now: now)
            }
            return .created(message, conversation, followUps: work)
        }
    }

    /// The thread a private reply continued, when `threadKey` is such an alias; else itself.
    static func resolvedThreadKey(_ db: any SQLDatabase, inboxId: ID, threadKey: String) async throws -> String {
        try await db.raw(
            """
            SELECT c.thread_key FROM thread_aliases a JOIN conversations c ON c.id = a.conversation_id
            WHERE a.inbox_id = \(bind: inboxId) AND a.alias = \(bind: threadKey)
            """
        ).first()?.string("thread_key") ?? threadKey
    }

    /// The conversation of a thread, opened at `at` on first sight. A social thread that a
    /// private reply continued (a thread alias) resolves to the conversation it continues.
    static func conversation(
        _ db: any SQLDatabase, inbox: Inbox, contactId: ID, threadKey requested: String,
        isPublic: Bool, at: Date, now: Date
    ) async throws -> (Conversation, original: Conversation, isNew: Bool) {
        let threadKey = inbox.channel.isSocial ? try await Self.resolvedThreadKey(db, inboxId: inbox.id, threadKey: requested) : requested
        if let r = try await db.raw(
            "SELECT \(unsafeRaw: Self.conversationColumns) FROM \(unsafeRaw: Self.conversationFrom) WHERE c.inbox_id = \(bind: inbox.id) AND c.thread_key = \(bind: threadKey)"
        ).first() {
            let existing = try Self.conversation(r, labels: [])
            return (existing, existing, false)
        }
        let clock = ConversationClock(openedAt: at)
        let inserted = try await db.raw(
            """
            INSERT INTO conversations (inbox_id, contact_id, thread_key, status, is_public, cycle_started_at, response_window_since,
              sla_sort, priority_sort, last_message_at, snippet, created_at, updated_at)
            VALUES (\(bind: inbox.id), \(bind: contactId), \(bind: threadKey), 'open', \(bind: Int64(isPublic ? 1 : 0)),
              \(bind: at.epoch), \(bind: at.epoch), \(bind: Self.slaSort(clock)), \(bind: Self.slaSort(clock)), \(bind: at.epoch), '', \(bind: at.epoch), \(bind: now.epoch))
            ON CONFLICT (inbox_id, thread_key) DO NOTHING RETURNING id
            """
        ).first()
        guard let inserted else { throw RetryableConflict() }
        let created = try await Self.loadConversation(db, id: try inserted.int("id"))!
        return (created, created, true)
    }
}
