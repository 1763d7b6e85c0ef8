import Foundation
import KotaeCore
import SQLKit

/// Satisfaction surveys: scheduled in the transaction that resolves a conversation (one per
/// resolution), sent once, answered once.
public struct CSATSurveys: Sendable {
    let db: KotaeDatabase

    /// Workspace settings: surveys on (`csat_enabled`, "false" turns them off) and how long after
    /// a resolution they go (`csat_delay_minutes`, an hour unless set).
    public static let enabledSetting = "csat_enabled"
    public static let delaySetting = "csat_delay_minutes"

    static let columns = "id, conversation_id, resolved_by, resolved_at, state, due_at, rating, comment, note, answered_at"

    static func survey(_ r: any SQLRow) throws -> CSATSurvey {
        CSATSurvey(
            id: try r.int("id"), conversationId: try r.int("conversation_id"), resolvedBy: try r.intOpt("resolved_by"),
            resolvedAt: try r.date("resolved_at"), state: try r.enumValue("state", CSATSurvey.State.self), dueAt: try r.date("due_at"),
            rating: try r.intOpt("rating").map(Int.init), comment: try r.stringOpt("comment"), note: try r.stringOpt("note"),
            answeredAt: try r.dateOpt("answered_at"))
    }

    /// Inside the transaction that resolved `conversationId`.
    static func schedule(_ db: any SQLDatabase, conversationId: ID, resolvedBy: ID?, now: Date) async throws {
        func setting(_ key: String) async throws -> String? {
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.stringOpt("value")
        }
        guard try await setting(enabledSetting) != "false" else { return }
        let minutes = try await setting(delaySetting).flatMap(Double.init) ?? 60
        try await db.raw(
            """
            INSERT INTO csat_surveys (conversation_id, resolved_by, resolved_at, state, due_at)
            VALUES (\(bind: conversationId), \(bind: resolvedBy), \(bind: now.epoch), 'scheduled', \(bind: now.addingTimeInterval(minutes * 60).epoch))
            ON CONFLICT (conversation_id, resolved_at) DO NOTHING
            """
        ).run()
    }

    public func find(id: ID) async throws -> CSATSurvey? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM csat_surveys WHERE id = \(bind: id)").first().map(Self.survey)
        }
    }

    public func due(at now: Date) async throws -> [CSATSurvey] {
        try await db.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM csat_surveys WHERE state = 'scheduled' AND due_at <= \(bind: now.epoch) ORDER BY due_at LIMIT 500"
            ).all().map(Self.survey)
        }
    }

    public func of(conversationId: ID) async throws -> [CSATSurvey] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM csat_surveys WHERE conversation_id = \(bind: conversationId) ORDER BY id")
                .all().map(Self.survey)
        }
    }

    /// Sends it: the message with its link and its delivery job, in one transaction.
    public func send(_ s: CSATSurvey, text: String, now: Date) async throws -> Bool {
        try await db.write { db in
            guard try await Self.move(s.id, from: "scheduled", to: .sent, note: nil, in: db) else { return false }
            guard let c = try await Conversations.loadConversation(db, id: s.conversationId) else { return false }
            _ = try await Conversations(db: self.db).queueAutomated(
                text, in: c, details: MessageDetails(kotae: "survey"), privately: c.isPublic, db: db, now: now)
            try await KotaeStore.appendEvent(db, type: "csat.sent", actor: nil, conversation: c.id, data: [:])
            try await Reports.record(db, ReportFact(.csatSent, at: now), conversationId: c.id, agent: s.resolvedBy)
            return true
        }
    }

    /// Skips or cancels a scheduled survey, saying why.
    public func close(_ s: CSATSurvey, _ state: CSATSurvey.State, note: String) async throws -> Bool {
        try await db.write { db in try await Self.move(s.id, from: "scheduled", to: state, note: note, in: db) }
    }

    /// Records the customer's answer, once.
    /// The customer's answer, once; `then` (the rules of a CSAT answer) is queued with it.
    public func answer(id: ID, rating: Int, comment: String?, then rules: RunAutomation? = nil, now: Date) async throws -> CSATSurvey? {
        try await db.write { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE csat_surveys SET state = 'answered', rating = \(bind: rating), comment = \(bind: comment), answered_at = \(bind: now.epoch)
                    WHERE id = \(bind: id) AND state = 'sent' RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()
            else { return nil }
            let s = try Self.survey(row)
            try await KotaeStore.appendEvent(db, type: "csat.answered", actor: nil, conversation: s.conversationId, data: ["rating": String(rating)])
            let fact = ReportFact(.csat, at: now, seconds: Double(rating), businessSeconds: Double(rating))
            try await Reports.record(db, fact, conversationId: s.conversationId, agent: s.resolvedBy)
            if var rules {
                rules.conversationId = s.conversationId
                try await JobQueue(db: self.db).enqueue(rules, in: db, now: Date())
            }
            return s
        }
    }

    static func move(_ id: ID, from: String, to: CSATSurvey.State, note: String?, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            "UPDATE csat_surveys SET state = \(bind: to.rawValue), note = \(bind: note) WHERE id = \(bind: id) AND state = \(bind: from) RETURNING id"
        ).first() != nil
    }

    /// The numbers a report shows: surveys sent, answered, the share of 4s and 5s, per agent.
    public struct Summary: Codable, Sendable, Equatable {
        public var sent: Int
        public var answered: Int
        /// Ratings 1 to 5, how many of each.
        public var distribution: [Int]
        public var byAgent: [Agent]

        public struct Agent: Codable, Sendable, Equatable {
            public var userId: ID
            public var answered: Int
            public var satisfied: Int
        }

        public var responseRate: Double? { sent == 0 ? nil : Double(answered) / Double(sent) }
        /// CSAT: the share of answers that are 4 or 5.
        public var score: Double? { answered == 0 ? nil : Double(distribution[3] + distribution[4]) / Double(answered) }
    }

    public func summary(since: Date) async throws -> Summary {
        try await db.read { db in
            let rows = try await db.raw(
                "SELECT state, rating, resolved_by FROM csat_surveys WHERE resolved_at >= \(bind: since.epoch) AND state IN ('sent', 'answered')"
            ).all()
            var s = Summary(sent: 0, answered: 0, distribution: [0, 0, 0, 0, 0], byAgent: [])
            var agents: [ID: Summary.Agent] = [:]
            for r in rows {
                s.sent += 1
                guard let rating = try r.intOpt("rating").map(Int.init), (1...5).contains(rating) else { continue }
                s.answered += 1
                s.distribution[rating - 1] += 1
                if let agent = try r.intOpt("resolved_by") {
                    agents[agent, default: Summary.Agent(userId: agent, answered: 0, satisfied: 0)].answered += 1
                    if rating >= 4 { agents[agent]!.satisfied += 1 }
                }
            }
            s.byAgent = agents.values.sorted { $0.userId < $1.userId }
            return s
        }
    }
}
