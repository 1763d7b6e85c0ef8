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

/// Where a cell's figures belong: its day (nil when read over the whole range) and its key
/// (nil when not keyed).
public struct CellKey: Hashable, Sendable {
    public var day: Int?
    public var key: ID?

    public init(day: Int?, key: ID?) {
        self.day = day
        self.key = key
    }
}

/// One metric's figures for one day (or the whole range) and one key: how many, and the
/// values' counts per band (calendar or business seconds, or ratings). Read from the fact rows,
/// a cell carries its exact values too; from the rollups, a band's values are read when needed
/// (`bandValues`).
public struct ReportCell: Sendable, Equatable {
    public var metric: ReportMetric
    public var at: CellKey
    public var count: Int
    public var bands: BandCounts
    public var values: [Int]?

    public var day: Int? { at.day }
    public var key: ID? { at.key }
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
    /// answer: agent, team and label at once, or two of them keyed by the third; `plan`).
    public enum Source: String, Sendable {
        case rollups, events
    }

    /// The cells of `metrics` over `days` (day numbers in the shop's time zone), narrowed by
    /// `filter`, per day when `byDay` and per `keyedBy`'s id when given. `business` picks
    /// business seconds.
    public func cells(
        _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension? = nil, byDay: Bool = true,
        business: Bool, source: Source? = nil
    ) async throws -> (cells: [ReportCell], source: Source) {
        let chosen = source ?? Self.source(filter: filter, keyedBy: keyedBy)
        let cells = try await db.read { db in
            chosen == .rollups
                ? try await Self.rollupCells(db, metrics, days: days, filter: filter, keyedBy: keyedBy, byDay: byDay, business: business)
                : try await Self.eventCells(db, metrics, days: days, filter: filter, keyedBy: keyedBy, byDay: byDay, business: business)
        }
        return (cells, chosen)
    }

    /// The exact values of `metric` in `band`, narrowed by `filter`, per day (when `byDay`) and
    /// key, on `days` only and, when keyed, for `keys` only: from the fact rows of that band
    /// (indexed by metric, band and day), listed in SQL one group a row.
    public func bandValues(
        _ metric: ReportMetric, band: Int, days: [Int], filter: ReportFilter, keyedBy: ReportDimension?, keys: [ID]?, byDay: Bool,
        business: Bool
    ) async throws -> [CellKey: [Int]] {
        guard let first = days.min(), let last = days.max() else { return [:] }
        let keyColumn: String? =
            switch keyedBy {
            case nil: nil
            case .inbox?: "inbox_id"
            case .agent?: "agent_id"
            case .team?: "team_id"
            case .label?: "labels"
            }
        let groups = (byDay ? ["day"] : []) + (keyColumn.map { [$0] } ?? [])
        return try await db.read { db in
            let list = db.kind == .postgres ? "string_agg" : "group_concat"
            let value = "\(list)(CAST(\(business ? "business_seconds" : "seconds") AS TEXT), ',') AS v"
            var sql = SQLQueryString(
                "SELECT \(unsafeRaw: (groups + [value]).joined(separator: ", ")) FROM report_events WHERE metric = \(bind: metric.rawValue) AND \(unsafeRaw: business ? "bband" : "band") = \(bind: band)"
            )
            sql.appendInterpolation(Self.dayCondition(days, first, last))
            sql.appendInterpolation(Self.factCondition(filter))
            if let keys, let keyColumn, keyedBy != .label {
                sql.appendLiteral(" AND \(keyColumn) IN ")
                sql.appendInterpolation(Self.idList(keys))
            }
            if !groups.isEmpty { sql.appendLiteral(" GROUP BY \(groups.joined(separator: ", "))") }
            let wanted = keys.map(Set.init)
            var out: [CellKey: [Int]] = [:]
            for r in try await db.raw(sql).all() {
                let day = byDay ? Int(try r.int("day")) : nil
                let ids: [ID?]
                switch keyedBy {
                case nil: ids = [nil]
                case .label?: ids = try r.string("labels").split(separator: ",").compactMap { ID($0) }.filter { wanted?.contains($0) ?? true }
                case .some(let d): ids = try r.intOpt(d == .inbox ? "inbox_id" : d == .agent ? "agent_id" : "team_id").map { [$0] } ?? []
                }
                let values = (try r.stringOpt("v") ?? "").split(separator: ",").compactMap { Double($0) }.map { Int(max(0, $0.rounded())) }
                for id in ids { out[CellKey(day: day, key: id), default: []] += values }
            }
            return out
        }
    }

    public static func source(filter: ReportFilter, keyedBy: ReportDimension?) -> Source {
        plan(filter: filter, keyedBy: keyedBy) == nil ? .events : .rollups
    }

    /// ` AND …` narrowing fact rows by `filter`.
    private static func factCondition(_ filter: ReportFilter) -> SQLQueryString {
        var sql = SQLQueryString("")
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
        return sql
    }

    /// Texts of a group joined end to end: band counts read joined.
    private static func concat(_ db: any SQLDatabase, _ column: String) -> String {
        db.kind == .postgres ? "string_agg(\(column), '')" : "group_concat(\(column), '')"
    }

    private static func dayCondition(_ days: [Int], _ first: Int, _ last: Int) -> SQLQueryString {
        var s = SQLQueryString("")
        if days.count == last - first + 1 {
            s.appendLiteral(" AND day >= ")
            s.appendInterpolation(bind: first)
            s.appendLiteral(" AND day <= ")
            s.appendInterpolation(bind: last)
        } else {
            s.appendLiteral(" AND day IN ")
            s.appendInterpolation(idList(days.map { ID($0) }))
        }
        return s
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

    /// One row per metric, day (when `byDay`) and key, the rollups of the inboxes (and days)
    /// summed in SQL: counts added, band counts joined.
    private static func rollupCells(
        _ db: any SQLDatabase, _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension?,
        byDay: Bool, business: Bool
    ) async throws -> [ReportCell] {
        guard let plan = plan(filter: filter, keyedBy: keyedBy) else { return [] }
        let groups = ["metric"] + (byDay ? ["day"] : []) + (plan.key.map { [$0] } ?? [])
        let columns =
            ["metric"] + (byDay ? ["day"] : []) + (plan.key.map { ["\($0) AS k"] } ?? []) + [
                "CAST(SUM(count) AS BIGINT) AS n", "\(concat(db, business ? "bbands" : "bands")) AS b",
            ]
        var sql = SQLQueryString("SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM report_rollups WHERE metric IN ")
        sql.appendInterpolation(metricList(metrics))
        sql.appendInterpolation(plan.condition)
        sql.appendInterpolation(dayCondition(Array(days), days.lowerBound, days.upperBound))
        if let ids = filter.inboxIds {
            sql.appendLiteral(" AND inbox_id IN ")
            sql.appendInterpolation(idList(ids))
        }
        sql.appendLiteral(" GROUP BY \(groups.joined(separator: ", "))")
        return try await db.raw(sql).all().compactMap { r in
            guard let metric = ReportMetric(rawValue: try r.string("metric")) else { return nil }
            let at = CellKey(day: byDay ? Int(try r.int("day")) : nil, key: plan.key == nil ? nil : try r.int("k"))
            return ReportCell(metric: metric, at: at, count: Int(try r.int("n")), bands: BandCounts(text: try r.stringOpt("b") ?? ""), values: nil)
        }
    }

    private static func eventCells(
        _ db: any SQLDatabase, _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension?,
        byDay: Bool, business: Bool
    ) async throws -> [ReportCell] {
        var sql = SQLQueryString(
            "SELECT metric, day, inbox_id, agent_id, team_id, labels, \(unsafeRaw: business ? "business_seconds" : "seconds") AS v FROM report_events WHERE metric IN "
        )
        sql.appendInterpolation(metricList(metrics))
        sql.appendInterpolation(dayCondition(Array(days), days.lowerBound, days.upperBound))
        sql.appendInterpolation(factCondition(filter))
        struct Slot: Hashable {
            let metric: ReportMetric
            let at: CellKey
        }
        var cells: [Slot: ReportCell] = [:]
        for r in try await db.raw(sql).all() {
            guard let metric = ReportMetric(rawValue: try r.string("metric")) else { continue }
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
                let at = CellKey(day: byDay ? Int(try r.int("day")) : nil, key: key)
                var cell = cells[Slot(metric: metric, at: at)] ?? ReportCell(metric: metric, at: at, count: 0, bands: BandCounts(), values: [])
                cell.count += 1
                if let value {
                    cell.bands.add(1, toBand: ReportBands.band(of: value))
                    cell.values?.append(value)
                }
                cells[Slot(metric: metric, at: at)] = cell
            }
        }
        return Array(cells.values)
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
