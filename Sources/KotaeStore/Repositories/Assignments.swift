import Foundation
import KotaeCore
import SQLKit

/// Automatic assignment: who is at their desk (seen by any instance), each agent's capacity,
/// and the next agent for a conversation — the one online and under capacity with the fewest
/// open conversations, the one given one longest ago among equals (round robin).
public struct Assignments: Sendable {
    let db: KotaeDatabase

    /// Workspace settings: which inboxes assign by themselves, and after how long offline an
    /// agent's waiting conversations move on.
    public static let inboxesSetting = "assignment.inboxIds"
    public static let offlineSetting = "assignment.offlineMinutes"
    public static let defaultOfflineMinutes: Double = 15
    /// A desk is online while its page's stream has been seen within this long.
    public static let onlineWindow: TimeInterval = 90

    /// One agent as assignment sees them.
    public struct Agent: Codable, Sendable, Equatable {
        public var userId: ID
        public var name: String
        public var capacity: Int?
        public var seenAt: Date?
        public var open: Int
    }

    public func markSeen(_ users: [ID], at: Date) async throws {
        guard !users.isEmpty else { return }
        try await db.write { db in
            for user in Set(users).sorted() {
                try await db.raw(
                    """
                    INSERT INTO agent_assignment (user_id, seen_at) VALUES (\(bind: user), \(bind: at.epoch))
                    ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at
                    """
                ).run()
            }
        }
    }

    /// nil: no limit.
    public func setCapacity(_ capacity: Int?, userId: ID) async throws {
        try await db.write { db in
            guard try await db.raw("SELECT id FROM users WHERE id = \(bind: userId) AND disabled = 0").first() != nil else {
                throw StoreError.notFound("user")
            }
            try await db.raw(
                """
                INSERT INTO agent_assignment (user_id, capacity) VALUES (\(bind: userId), \(bind: capacity.map(Int64.init)))
                ON CONFLICT (user_id) DO UPDATE SET capacity = excluded.capacity
                """
            ).run()
        }
    }

    /// Every active user, with their capacity, when last seen and how many conversations they hold open.
    public func agents() async throws -> [Agent] {
        try await db.read { db in try await Self.agents(db) }
    }

    static func agents(_ db: any SQLDatabase) async throws -> [Agent] {
        try await db.raw(
            """
            SELECT u.id, u.name, a.capacity, a.seen_at,
              (SELECT COUNT(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status <> 'resolved') AS open_count
            FROM users u LEFT JOIN agent_assignment a ON a.user_id = u.id
            WHERE u.disabled = 0 ORDER BY u.id
            """
        ).all().map {
            Agent(
                userId: try $0.int("id"), name: try $0.string("name"), capacity: try $0.intOpt("capacity").map(Int.init),
                seenAt: try $0.dateOpt("seen_at"), open: Int(try $0.int("open_count")))
        }
    }

    /// The next agent, or nil when nobody online has room. Marks them as just given one.
    static func next(_ db: any SQLDatabase, onlineSince: Date, excluding: ID? = nil, now: Date) async throws -> ID? {
        let candidates = try await db.raw(
            """
            SELECT u.id, a.capacity, COALESCE(a.last_assigned_at, 0) AS last_given,
              (SELECT COUNT(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status <> 'resolved') AS open_count
            FROM users u JOIN agent_assignment a ON a.user_id = u.id
            WHERE u.disabled = 0 AND a.seen_at >= \(bind: onlineSince.epoch)
            """
        ).all().map {
            (id: try $0.int("id"), capacity: try $0.intOpt("capacity"), lastGiven: try $0.double("last_given"), open: try $0.int("open_count"))
        }
        let chosen =
            candidates
            .filter { c in c.id != excluding && c.capacity.map { c.open < $0 } ?? true }
            .min { ($0.open, $0.lastGiven, $0.id) < ($1.open, $1.lastGiven, $1.id) }
        guard let chosen else { return nil }
        try await db.raw("UPDATE agent_assignment SET last_assigned_at = \(bind: now.epoch) WHERE user_id = \(bind: chosen.id)").run()
        return chosen.id
    }

    /// Conversations waiting for the shop in `inboxIds` whose assignee has not been seen since `offlineSince`.
    public func stranded(inboxIds: [ID], offlineSince: Date, limit: Int = 200) async throws -> [(conversation: ID, assignee: ID)] {
        guard !inboxIds.isEmpty else { return [] }
        return try await db.read { db in
            try await db.raw(
                """
                SELECT c.id, c.assignee_id FROM conversations c JOIN agent_assignment a ON a.user_id = c.assignee_id
                WHERE c.needs_reply = 1 AND c.status <> 'resolved' AND c.inbox_id IN (\(unsafeRaw: inboxIds.map(String.init).joined(separator: ",")))
                  AND (a.seen_at IS NULL OR a.seen_at < \(bind: offlineSince.epoch))
                ORDER BY c.id LIMIT \(bind: limit)
                """
            ).all().map { (try $0.int("id"), try $0.int("assignee_id")) }
        }
    }

    /// Moves one conversation from an agent who went offline to the next agent online, with
    /// the step on its timeline; nil (and nothing changed) when nobody online has room or it
    /// is no longer theirs.
    public func move(conversationId: ID, from: ID, onlineSince: Date, offlineMinutes: Double, now: Date = Date()) async throws -> ID? {
        try await db.write { db in
            var (c, inbox) = try await Conversations.requireConversation(db, conversationId)
            guard c.assigneeId == from, let to = try await Self.next(db, onlineSince: onlineSince, excluding: from, now: now) else { return nil }
            let original = c
            try await Conversations(db: self.db).apply(.assign(userId: to), to: &c, inbox: inbox, db: db, actor: nil, now: now)
            try await Conversations.saveConversation(db, c, original: original, inbox: inbox, now: now)
            try await KotaeStore.appendEvent(
                db, type: "assignment.moved", actor: nil, conversation: c.id,
                data: ["from": String(from), "to": String(to), "minutes": String(Int(offlineMinutes))])
            return to
        }
    }
}
