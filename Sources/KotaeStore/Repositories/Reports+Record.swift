import Crypto
import Foundation
import KotaeCore
import SQLKit

/// Reports are written in the transaction of the change they report: a fact row, its rollups
/// (per day and month, inbox, agent, team and label, in the shop's time zone; `Reports+Rollups`)
/// and the hour's traffic.
extension Reports {
    /// How a customer's message counts in the hour's traffic.
    struct Arrival {
        var at: Date
        var newConversation: Bool
    }

    /// Called by `Conversations.saveConversation` with the conversation before and after one change.
    static func record(
        _ db: any SQLDatabase, before: Conversation, after: Conversation, inbox: Inbox, now: Date, arrival: Arrival?
    ) async throws {
        guard recording else { return }
        let resolving = before.clock.status != .resolved && after.clock.status == .resolved
        let answers = resolving ? try await humanAnswers(db, conversationId: after.id) : 0
        var resolvedBefore = false
        if resolving {
            resolvedBefore =
                try await db.raw("SELECT id FROM report_events WHERE conversation_id = \(bind: after.id) AND metric = 'first_resolution' LIMIT 1")
                .first() != nil
        }
        let reading = ReportLedger.read(
            before: before.clock, after: after.clock, policy: inbox.slaPolicy, now: now, humanAnswers: { answers },
            resolvedBefore: { resolvedBefore })
        if reading.unanswered != 0 || reading.backlog != 0 || arrival != nil {
            try await addTraffic(
                db, at: arrival?.at ?? now, inboxId: inbox.id, incoming: arrival == nil ? 0 : 1,
                created: arrival?.newConversation == true ? 1 : 0, unanswered: reading.unanswered,
                backlog: reading.backlog + (arrival?.newConversation == true ? 1 : 0))
        }
        if reading.retractsResolution { try await retractResolution(db, conversationId: after.id) }
        guard !reading.facts.isEmpty else { return }
        let replier = reading.facts.contains { $0.metric == .replyWait } ? try await lastReplier(db, conversationId: after.id) : nil
        let credited = reading.facts.map { fact in
            let byReply = [.replyWait, .replyWaitBreached, .firstResponse, .firstResponseBreached].contains(fact.metric)
            return (fact, byReply ? replier : after.assigneeId)
        }
        try await write(db, credited, conversation: after, inbox: inbox)
    }

    /// A fact about a conversation outside its clock (a survey sent or answered), credited to `agent`.
    static func record(_ db: any SQLDatabase, _ fact: ReportFact, conversationId: ID, agent: ID?) async throws {
        guard recording else { return }
        let (c, inbox) = try await Conversations.requireConversation(db, conversationId)
        try await write(db, [(fact, agent)], conversation: c, inbox: inbox)
    }

    /// The bot handed over: counted from the conversation's start.
    static func recordHandOff(_ db: any SQLDatabase, conversation c: Conversation, inbox: Inbox, at: Date) async throws {
        guard recording else { return }
        let fact = ReportFact.duration(.botHandOff, from: c.clock.createdAt, to: at, hours: inbox.slaPolicy.businessHours)
        try await write(db, [(fact, nil)], conversation: c, inbox: inbox)
    }

    /// One change's facts, each credited to its agent: the zone, labels and schedule are read
    /// once, then each fact's row, then every rollup row they count in, in one statement.
    static func write(_ db: any SQLDatabase, _ facts: [(ReportFact, agent: ID?)], conversation c: Conversation, inbox: Inbox) async throws {
        let zone = try await timeZone(db)
        let labels = try await labelIds(db, conversationId: c.id)
        let schedule = try await scheduleKey(db, inbox.slaPolicy.businessHours)
        var rollups: [RollupKey: RollupValues] = [:]
        for (fact, agent) in facts {
            let day = LocalDate(of: fact.at, in: zone).dayNumber
            try await db.raw(
                """
                INSERT INTO report_events (
                  conversation_id, metric, at, day, inbox_id, agent_id, team_id, labels, seconds, business_seconds, schedule)
                VALUES (\(bind: c.id), \(bind: fact.metric.rawValue), \(bind: fact.at.epoch), \(bind: day), \(bind: inbox.id), \(bind: agent),
                  \(bind: c.teamId), \(bind: labels.map { ",\($0)" }.joined() + (labels.isEmpty ? "" : ",")), \(bind: fact.seconds),
                  \(bind: fact.businessSeconds), \(bind: schedule))
                """
            ).run()
            for (dimension, id) in dimensions(inbox: inbox.id, agent: agent, team: c.teamId, labels: labels) {
                for key in RollupKey.spans(dimension, fact.metric, day: day, id: id, inbox: inbox.id) {
                    rollups[key, default: RollupValues()].add(seconds: fact.seconds, business: fact.businessSeconds)
                }
            }
        }
        try await appendToRollups(db, rollups)
    }

    /// A reopened conversation is no longer fully resolved: its resolution (and one-touch mark)
    /// leave the rows and the rollups they were counted in, until it is resolved again.
    static func retractResolution(_ db: any SQLDatabase, conversationId: ID) async throws {
        let rows = try await db.raw(
            """
            SELECT id, metric, day, inbox_id, agent_id, team_id, labels, seconds, business_seconds FROM report_events
            WHERE conversation_id = \(bind: conversationId) AND metric IN ('resolution', 'one_touch')
            """
        ).all()
        for r in rows {
            guard let metric = ReportMetric(rawValue: try r.string("metric")) else { continue }
            let labels = try r.string("labels").split(separator: ",").compactMap { ID($0) }
            let inbox = try r.int("inbox_id")
            let day = Int(try r.int("day")), seconds = try r.doubleOpt("seconds"), business = try r.doubleOpt("business_seconds")
            for (dimension, id) in dimensions(inbox: inbox, agent: try r.intOpt("agent_id"), team: try r.intOpt("team_id"), labels: labels) {
                try await retractFromRollups(db, dimension, metric, day: day, id: id, inbox: inbox, seconds: seconds, business: business)
            }
            try await db.raw("DELETE FROM report_events WHERE id = \(bind: try r.int("id"))").run()
        }
    }

    /// Public answers people gave in the conversation (delivered replies; not notes, the bot or Kotae's own messages).
    static func humanAnswers(_ db: any SQLDatabase, conversationId: ID) async throws -> Int {
        try await db.raw(
            "SELECT COUNT(*) AS n FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'outbound' AND delivery_state = 'sent'"
        ).first().map { Int(try $0.int("n")) } ?? 0
    }

    /// Who wrote the reply that was just delivered (nil for one sent from the platform's own app).
    static func lastReplier(_ db: any SQLDatabase, conversationId: ID) async throws -> ID? {
        try await db.raw(
            """
            SELECT author_user_id FROM messages WHERE conversation_id = \(bind: conversationId) AND kind = 'outbound' AND delivery_state = 'sent'
            ORDER BY sent_at DESC, id DESC LIMIT 1
            """
        ).first()?.intOpt("author_user_id")
    }

    static func labelIds(_ db: any SQLDatabase, conversationId: ID) async throws -> [ID] {
        try await db.raw(
            "SELECT l.id FROM conversation_labels cl JOIN labels l ON l.name = cl.label WHERE cl.conversation_id = \(bind: conversationId) ORDER BY l.id"
        ).all().map { try $0.int("id") }
    }

    /// The business hours a value was counted in, kept once under a key of their own, so a
    /// later change of hours never leaves a past value without the schedule it was counted by.
    static func scheduleKey(_ db: any SQLDatabase, _ hours: BusinessHours?) async throws -> String? {
        guard let hours else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(hours)
        let key = SHA256.hash(data: json).prefix(8).map { String(format: "%02x", $0) }.joined()
        try await db.raw(
            "INSERT INTO report_schedules (key, hours) VALUES (\(bind: key), \(bind: String(decoding: json, as: UTF8.self))) ON CONFLICT (key) DO NOTHING"
        ).run()
        return key
    }

    /// The shop's time zone, which days are counted in.
    static func timeZone(_ db: any SQLDatabase) async throws -> TimeZone {
        let name = try await db.raw("SELECT value FROM settings WHERE key = \(bind: timeZoneKey)").first()?.string("value")
        return name.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: defaultTimeZone)!
    }
}
