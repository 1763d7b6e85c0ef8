import Foundation
import KotaeCore
import SQLKit

/// SLA warnings and breach alerts: which conversations have a due time in a window, who
/// hears of one (recorded with the audit row, in one transaction), and the chat thread each
/// conversation's alerts go to.
public struct SLAAlerts: Sendable {
    let db: KotaeDatabase

    /// Unresolved conversations with a moment `sla_due_at − offset` (for an offset of
    /// `offsets`, or 0: the breach) after `after` and by `upTo`, soonest due first, with when
    /// their clock started (the customer's waiting message, else the cycle's start). Each
    /// offset reads its own range of due times, so a pass reads only the conversations it may
    /// alert on, however many others are due sooner.
    public func due(moments offsets: [TimeInterval], after: Date, upTo: Date) async throws -> [(id: ID, dueAt: Date, started: Date)] {
        try await db.read { db in
            var sql = SQLQueryString(
                "SELECT id, sla_due_at, COALESCE(waiting_since, cycle_started_at) AS started FROM conversations WHERE status <> 'resolved' AND (")
            for (n, offset) in Set(offsets + [0]).sorted().enumerated() {
                sql.appendInterpolation(unsafeRaw: n == 0 ? "(sla_due_at > " : " OR (sla_due_at > ")
                sql.appendInterpolation(bind: after.epoch + offset)
                sql.appendInterpolation(unsafeRaw: " AND sla_due_at <= ")
                sql.appendInterpolation(bind: upTo.epoch + offset)
                sql.appendInterpolation(unsafeRaw: ")")
            }
            sql.appendInterpolation(unsafeRaw: ") ORDER BY sla_due_at, id")
            return try await db.raw(sql).all().map { (try $0.int("id"), try $0.date("sla_due_at"), try $0.date("started")) }
        }
    }

    /// Who is told of an alert: the assignee and their team's members; with neither, the admins,
    /// so a conversation nobody owns still reaches someone.
    public func recipients(of c: Conversation) async throws -> [ID] {
        try await db.read { db in
            var ids: [ID] = c.assigneeId.map { [$0] } ?? []
            if let team = c.teamId {
                ids += try await db.raw("SELECT user_id FROM team_members WHERE team_id = \(bind: team)").all().map { try $0.int("user_id") }
            }
            if ids.isEmpty {
                ids = try await db.raw("SELECT id FROM users WHERE role = 'admin' AND disabled = 0").all().map { try $0.int("id") }
            }
            return Array(Set(ids)).sorted()
        }
    }

    /// The alert as the desk keeps it: a notification for each recipient, the audit row and
    /// the job that runs the rules of the alert (`then`), together. Returns who was notified,
    /// for their live streams.
    public func record(_ alert: SLAAlert, recipients: [ID], sentTo: [String], then rules: RunAutomation? = nil, now: Date) async throws -> [ID] {
        try await db.write { db in
            if let rules { try await JobQueue(db: self.db).enqueue(rules, in: db, now: Date()) }
            let active = try await db.raw("SELECT id FROM users WHERE disabled = 0").all().map { try $0.int("id") }
            let notified = try await KotaeStore.notify(
                db, recipients.filter(Set(active).contains), kind: alert.isBreach ? .slaBreach : .slaWarning, conversation: alert.conversationId,
                message: nil, actor: nil, now: now)
            try await KotaeStore.appendEvent(
                db, type: "sla.alert", actor: nil, conversation: alert.conversationId,
                data: [
                    "before": String(Int64(alert.before)), "dueAt": ISO8601DateFormatter().string(from: alert.dueAt),
                    "sentTo": sentTo.joined(separator: ","),
                ])
            return notified
        }
    }

    /// The chat thread this conversation's alerts go to (Slack's `thread_ts`), once the receiver gave one.
    public func thread(conversationId: ID) async throws -> String? {
        try await db.read { db in
            try await db.raw("SELECT thread FROM sla_alert_threads WHERE conversation_id = \(bind: conversationId)").first()?.string("thread")
        }
    }

    public func setThread(_ thread: String, conversationId: ID, now: Date) async throws {
        try await db.write { db in
            try await db.raw(
                """
                INSERT INTO sla_alert_threads (conversation_id, thread, updated_at) VALUES (\(bind: conversationId), \(bind: thread), \(bind: now.epoch))
                ON CONFLICT (conversation_id) DO UPDATE SET thread = excluded.thread, updated_at = excluded.updated_at
                """
            ).run()
        }
    }
}
