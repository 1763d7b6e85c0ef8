import Foundation
import KotaeCore
import SQLKit

/// What a report is narrowed to. Inboxes stand for a channel too (its inboxes).
public struct ReportFilter: Sendable, Equatable {
    public var inboxIds: [ID]?
    public var agentId: ID?
    public var teamId: ID?
    public var labelId: ID?

    public init(inboxIds: [ID]? = nil, agentId: ID? = nil, teamId: ID? = nil, labelId: ID? = nil) {
        self.inboxIds = inboxIds
        self.agentId = agentId
        self.teamId = teamId
        self.labelId = labelId
    }

    /// The one of agent, team and label the filter narrows by; nil when none, and a list of
    /// more than one when it narrows by several (rollups cannot answer that).
    var people: [(dimension: ReportDimension, id: ID)] {
        [(ReportDimension.agent, agentId), (.team, teamId), (.label, labelId)].compactMap { d, id in id.map { (d, $0) } }
    }
}

/// One metric's figures for one day (and one key, when keyed): how many, and the exact values
/// (calendar or business seconds, or ratings), less those a reopening took back.
public struct ReportCell: Sendable, Equatable {
    public var metric: ReportMetric
    public var day: Int
    public var key: ID?
    public var count: Int
    public var values: [Int]
    public var removed: [Int]
}

/// An hour's traffic of one inbox (UTC hours).
public struct TrafficHour: Sendable, Equatable {
    public var hour: Int
    public var inboxId: ID
    public var incoming: Int
    public var created: Int
    public var unanswered: Int
    public var backlog: Int
}

extension Reports {
    /// Where the figures came from: the daily rollups, or the fact rows (what rollups cannot
    /// answer: a filter on two dimensions at once, or keyed by another dimension than the filter's).
    public enum Source: String, Sendable {
        case rollups, events
    }

    /// The cells of `metrics` over `days` (day numbers in the shop's time zone), narrowed by
    /// `filter`, each keyed by `keyedBy`'s id when given. `business` picks business seconds.
    public func cells(
        _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension? = nil,
        business: Bool, source: Source? = nil
    ) async throws -> (cells: [ReportCell], source: Source) {
        let chosen = source ?? Self.source(filter: filter, keyedBy: keyedBy)
        let cells = try await db.read { db in
            chosen == .rollups
                ? try await Self.rollupCells(db, metrics, days: days, filter: filter, keyedBy: keyedBy, business: business)
                : try await Self.eventCells(db, metrics, days: days, filter: filter, keyedBy: keyedBy, business: business)
        }
        return (cells, chosen)
    }

    public static func source(filter: ReportFilter, keyedBy: ReportDimension?) -> Source {
        plan(filter: filter, keyedBy: keyedBy) == nil ? .events : .rollups
    }

    /// Which rollup rows answer: every row is kept per dimension and per inbox, so an inbox or
    /// channel narrows any of them; one of agent, team or label narrows its own rows. Nil when
    /// the rollups cannot answer (two of those at once, or keyed by another of them).
    static func plan(filter: ReportFilter, keyedBy: ReportDimension?) -> (dimension: ReportDimension, id: ID?)? {
        let people = filter.people
        guard people.count <= 1 else { return nil }
        if let only = people.first {
            return keyedBy == nil || keyedBy == .inbox || keyedBy == only.dimension ? (only.dimension, only.id) : nil
        }
        return (keyedBy == nil || keyedBy == .inbox ? .inbox : keyedBy!, nil)
    }

    private static func metricList(_ metrics: [ReportMetric]) -> SQLQueryString {
        var s = SQLQueryString("(")
        for (i, m) in metrics.enumerated() {
            if i > 0 { s.appendLiteral(", ") }
            s.appendInterpolation(bind: m.rawValue)
        }
        s.appendLiteral(")")
        return s
    }

    private static func idList(_ ids: [ID]) -> SQLQueryString {
        var s = SQLQueryString("(")
        for (i, id) in ids.enumerated() {
            if i > 0 { s.appendLiteral(", ") }
            s.appendInterpolation(bind: id)
        }
        if ids.isEmpty { s.appendLiteral("NULL") }
        s.appendLiteral(")")
        return s
    }

    private static func rollupCells(
        _ db: any SQLDatabase, _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension?,
        business: Bool
    ) async throws -> [ReportCell] {
        guard let (dimension, id) = plan(filter: filter, keyedBy: keyedBy) else { return [] }
        var sql = SQLQueryString(
            "SELECT metric, day, dimension_id, inbox_id, count, \(unsafeRaw: business ? "bvals" : "vals") AS v, \(unsafeRaw: business ? "minus_bvals" : "minus_vals") AS m FROM report_rollups WHERE dimension = \(bind: dimension.rawValue) AND metric IN "
        )
        sql.appendInterpolation(metricList(metrics))
        sql.appendLiteral(" AND day >= ")
        sql.appendInterpolation(bind: days.lowerBound)
        sql.appendLiteral(" AND day <= ")
        sql.appendInterpolation(bind: days.upperBound)
        if let id {
            sql.appendLiteral(" AND dimension_id = ")
            sql.appendInterpolation(bind: id)
        }
        if let ids = filter.inboxIds {
            sql.appendLiteral(" AND inbox_id IN ")
            sql.appendInterpolation(idList(ids))
        }
        return try await db.raw(sql).all().map { r in
            let metric = ReportMetric(rawValue: try r.string("metric")) ?? .reopen
            let key: ID? = keyedBy == nil ? nil : try r.int(keyedBy == .inbox ? "inbox_id" : "dimension_id")
            return ReportCell(
                metric: metric, day: Int(try r.int("day")), key: key, count: Int(try r.int("count")),
                values: DurationList.decode(try r.string("v")), removed: DurationList.decode(try r.string("m")))
        }
    }

    private static func eventCells(
        _ db: any SQLDatabase, _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension?,
        business: Bool
    ) async throws -> [ReportCell] {
        var sql = SQLQueryString(
            "SELECT metric, day, inbox_id, agent_id, team_id, labels, \(unsafeRaw: business ? "business_seconds" : "seconds") AS v FROM report_events WHERE metric IN "
        )
        sql.appendInterpolation(metricList(metrics))
        sql.appendLiteral(" AND day >= ")
        sql.appendInterpolation(bind: days.lowerBound)
        sql.appendLiteral(" AND day <= ")
        sql.appendInterpolation(bind: days.upperBound)
        if let ids = filter.inboxIds {
            sql.appendLiteral(" AND inbox_id IN ")
            sql.appendInterpolation(idList(ids))
        }
        if let a = filter.agentId {
            sql.appendLiteral(" AND agent_id = ")
            sql.appendInterpolation(bind: a)
        }
        if let t = filter.teamId {
            sql.appendLiteral(" AND team_id = ")
            sql.appendInterpolation(bind: t)
        }
        if let l = filter.labelId {
            sql.appendLiteral(" AND labels LIKE ")
            sql.appendInterpolation(bind: "%,\(l),%")
        }
        var out: [ReportCell] = []
        for r in try await db.raw(sql).all() {
            let metric = ReportMetric(rawValue: try r.string("metric")) ?? .reopen
            let value = try r.doubleOpt("v").map { Int($0.rounded()) }
            let keys: [ID?]
            switch keyedBy {
            case nil: keys = [nil]
            case .inbox: keys = [try r.int("inbox_id")]
            case .agent: keys = [try r.intOpt("agent_id")].filter { $0 != nil }
            case .team: keys = [try r.intOpt("team_id")].filter { $0 != nil }
            case .label: keys = try r.string("labels").split(separator: ",").compactMap { ID($0) }
            }
            for key in keys {
                out.append(ReportCell(metric: metric, day: Int(try r.int("day")), key: key, count: 1, values: value.map { [$0] } ?? [], removed: []))
            }
        }
        return out
    }

    /// The hours of traffic in `[fromHour, toHour)`, of `inboxIds` (all when nil), and the sums of
    /// the changes before `fromHour` (where waiting customers and unresolved conversations stood).
    public func traffic(fromHour: Int, toHour: Int, inboxIds: [ID]?) async throws -> (hours: [TrafficHour], unansweredBefore: Int, backlogBefore: Int)
    {
        try await db.read { db in
            var inboxes = SQLQueryString("")
            if let inboxIds {
                inboxes.appendLiteral(" AND inbox_id IN ")
                inboxes.appendInterpolation(Self.idList(inboxIds))
            }
            let rows = try await db.raw(
                "SELECT hour, inbox_id, incoming, created, unanswered, backlog FROM report_traffic WHERE hour >= \(bind: fromHour) AND hour < \(bind: toHour)\(inboxes) ORDER BY hour"
            ).all().map { r in
                TrafficHour(
                    hour: Int(try r.int("hour")), inboxId: try r.int("inbox_id"), incoming: Int(try r.int("incoming")),
                    created: Int(try r.int("created")), unanswered: Int(try r.int("unanswered")), backlog: Int(try r.int("backlog")))
            }
            let before = try await db.raw(
                "SELECT CAST(COALESCE(SUM(unanswered), 0) AS BIGINT) AS u, CAST(COALESCE(SUM(backlog), 0) AS BIGINT) AS b FROM report_traffic WHERE hour < \(bind: fromHour)\(inboxes)"
            ).first()
            return (rows, Int(try before?.int("u") ?? 0), Int(try before?.int("b") ?? 0))
        }
    }
}
