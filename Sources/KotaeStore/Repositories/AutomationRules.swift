import Foundation
import KotaeCore
import SQLKit

/// The shop's automation rules, in the order they run (oldest first), and what a rule does
/// to a conversation: every action, the audit row naming the rule and the per-conversation
/// cap, in one transaction.
public struct AutomationRules: Sendable {
    let db: KotaeDatabase

    static let columns = "id, name, enabled, trigger, after_minutes, conditions, actions, created_at, updated_at"

    static func rule(_ r: any SQLRow) throws -> AutomationRule {
        AutomationRule(
            id: try r.int("id"), name: try r.string("name"), enabled: try r.bool("enabled"),
            trigger: try r.enumValue("trigger", AutomationTrigger.self), afterMinutes: try r.doubleOpt("after_minutes"),
            conditions: try JSON.decode(RuleConditions.self, try r.string("conditions")),
            actions: try JSON.decode(RuleActions.self, try r.string("actions")), createdAt: try r.date("created_at"),
            updatedAt: try r.date("updated_at"))
    }

    public func all() async throws -> [AutomationRule] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM automation_rules ORDER BY id").all().map(Self.rule)
        }
    }

    public func find(id: ID) async throws -> AutomationRule? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM automation_rules WHERE id = \(bind: id)").first().map(Self.rule)
        }
    }

    public func create(_ rule: AutomationRule, now: Date = Date()) async throws -> AutomationRule {
        try await db.write { db in
            let id = try await db.raw(
                """
                INSERT INTO automation_rules (name, enabled, trigger, after_minutes, conditions, actions, created_at, updated_at)
                VALUES (\(bind: rule.name), \(bind: rule.enabled ? 1 : 0), \(bind: rule.trigger.rawValue), \(bind: rule.afterMinutes),
                  \(bind: JSON.string(rule.conditions)), \(bind: JSON.string(rule.actions)), \(bind: now.epoch), \(bind: now.epoch))
                RETURNING id
                """
            ).first()!.int("id")
            try await KotaeStore.appendEvent(db, type: "automation.ruleCreated", actor: nil, conversation: nil, data: ["rule": rule.name])
            var saved = rule
            saved.id = id
            saved.createdAt = now
            saved.updatedAt = now
            return saved
        }
    }

    public func update(_ rule: AutomationRule, now: Date = Date()) async throws {
        try await db.write { db in
            guard try await db.raw("SELECT id FROM automation_rules WHERE id = \(bind: rule.id)").first() != nil else {
                throw StoreError.notFound("automation rule")
            }
            try await db.raw(
                """
                UPDATE automation_rules SET name = \(bind: rule.name), enabled = \(bind: rule.enabled ? 1 : 0), trigger = \(bind: rule.trigger.rawValue),
                  after_minutes = \(bind: rule.afterMinutes), conditions = \(bind: JSON.string(rule.conditions)),
                  actions = \(bind: JSON.string(rule.actions)), updated_at = \(bind: now.epoch)
                WHERE id = \(bind: rule.id)
                """
            ).run()
        }
    }

    public func delete(id: ID) async throws {
        try await db.write { db in
            guard try await db.raw("SELECT id FROM automation_rules WHERE id = \(bind: id)").first() != nil else {
                throw StoreError.notFound("automation rule")
            }
            try await db.raw("DELETE FROM automation_rules WHERE id = \(bind: id)").run()
        }
    }

    /// Conversations whose customer started waiting (a message with no answer) after `after`
    /// and by `upTo`, with when; over the waiting-time index.
    public func waiting(after: Date, upTo: Date, limit: Int = 1_000) async throws -> [(id: ID, since: Date)] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id, wait_sort FROM conversations WHERE needs_reply = 1 AND wait_sort > \(bind: after.epoch) AND wait_sort <= \(bind: upTo.epoch)
                ORDER BY wait_sort LIMIT \(bind: limit)
                """
            ).all().map { (try $0.int("id"), try $0.date("wait_sort")) }
        }
    }

    /// Open or pending conversations nobody waits in whose last message (an answer) came after
    /// `after` and by `upTo`: the customer has been silent since.
    public func silent(after: Date, upTo: Date, limit: Int = 1_000) async throws -> [(id: ID, since: Date)] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id, last_message_at FROM conversations
                WHERE status IN ('open', 'pending') AND last_message_at > \(bind: after.epoch) AND last_message_at <= \(bind: upTo.epoch) AND needs_reply = 0
                ORDER BY last_message_at LIMIT \(bind: limit)
                """
            ).all().map { (try $0.int("id"), try $0.date("last_message_at")) }
        }
    }

    /// Conversations with a message since `since`, newest first: what a dry run is tried on.
    public func recentConversations(since: Date, limit: Int) async throws -> [ID] {
        try await db.read { db in
            try await db.raw(
                """
                SELECT id FROM conversations WHERE status IN ('open', 'pending', 'snoozed', 'resolved') AND last_message_at >= \(bind: since.epoch)
                ORDER BY last_message_at DESC, id DESC LIMIT \(bind: limit)
                """
            ).all().map { try $0.int("id") }
        }
    }

    /// What one rule does to one conversation, all or nothing. Nil when the conversation has
    /// had `cap` rule runs within `window` already (a loop between rules and the outside
    /// world stops there); the cap is recorded once on the timeline.
    public func apply(
        _ rule: AutomationRule, conversationId: ID, changes: [ConversationChange], note: String?, reply: String?, cap: Int, window: TimeInterval,
        now: Date = Date()
    ) async throws -> Conversation? {
        try await db.write { db in
            let recent = try await db.raw(
                """
                SELECT type FROM events WHERE conversation_id = \(bind: conversationId) AND type IN ('automation.applied', 'automation.capped')
                  AND at > \(bind: now.addingTimeInterval(-window).epoch)
                """
            ).all().map { try $0.string("type") }
            if recent.filter({ $0 == "automation.applied" }).count >= cap {
                if !recent.contains("automation.capped") {
                    try await KotaeStore.appendEvent(
                        db, type: "automation.capped", actor: nil, conversation: conversationId, data: ["rule": rule.name, "cap": String(cap)])
                }
                return nil
            }
            let conversations = Conversations(db: self.db)
            var (c, inbox) = try await Conversations.requireConversation(db, conversationId)
            let original = c
            for change in changes {
                try await conversations.apply(change, to: &c, inbox: inbox, db: db, actor: nil, now: now)
            }
            if let note {
                _ = try await Conversations.insertMessage(
                    db, conversationId: c.id, inboxId: c.inboxId, kind: .note, author: nil, text: note, html: nil, externalId: nil, delivery: .sent,
                    attachments: [], sentAt: now, now: now)
            }
            if let reply {
                var details = MessageDetails()
                details.kotae = "automation"
                _ = try await conversations.queueAutomated(reply, in: c, details: details, db: db, now: now)
            }
            try await Conversations.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await KotaeStore.appendEvent(
                db, type: "automation.applied", actor: nil, conversation: c.id,
                data: ["rule": rule.name, "ruleId": String(rule.id), "actions": rule.actions.names.joined(separator: ",")])
            return c
        }
    }
}
