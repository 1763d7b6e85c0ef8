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

/// One metric's figures for one day (a month's first day, when read from a month's rollups;
/// nil when read over the whole range) and one key: how many, and the values' counts per band
/// (calendar or business seconds, or ratings).
public struct ReportCell: Sendable, Equatable {
    public var metric: ReportMetric
    public var at: CellKey
    public var count: Int
    public var bands: BandCounts

    public var day: Int? { at.day }
    public var key: ID? { at.key }
}

/// An hour's traffic, summed over the inboxes read (UTC hours).
public struct TrafficHour: Sendable, Equatable {
    public var hour: Int
    public var incoming: Int
    public var created: Int
    public var unanswered: Int
    public var backlog: Int
}

extension Reports {
    /// Where the figures came from: the rollups (every filter and key has rows of its own,
    /// `plan`), or the fact rows (asked for by name: tests compare the two).
    public enum Source: String, Sendable {
        case rollups, events
    }

    /// The cells of `metrics` over `days` (day numbers in the shop's time zone), narrowed by
    /// `filter`, per day when `byDay` and per `keyedBy`'s id when given. `business` picks
    /// business seconds. With `months`, each calendar month wholly inside `days` is one cell
    /// (at its first day) read from its month's rollups; per day, that suits grouping by month.
    /// Cells of one metric and key may come more than once: they add up.
    public func cells(
        _ metrics: [ReportMetric], days: ClosedRange<Int>, filter: ReportFilter, keyedBy: ReportDimension? = nil, byDay: Bool = true,
        months: Bool = false, business: Bool, source: Source? = nil
    ) async throws -> (cells: [ReportCell], source: Source) {
        let chosen = source ?? Self.source(filter: filter, keyedBy: keyedBy)
        let read = Self.Read(metrics: metrics, filter: filter, keyedBy: keyedBy, byDay: byDay, business: business)
        let cells = try await db.read { db in
            guard chosen == .rollups else { return try await Self.eventCells(db, read, days: days) }
            var out: [ReportCell] = []
            for (span, piece) in Self.pieces(days, months: months || !byDay) {
                out += try await Self.rollupCells(db, read, span: span, days: piece)
            }
            return out
        }
        return (cells, chosen)
    }

    /// What one read asks.
    struct Read {
        let metrics: [ReportMetric]
        let filter: ReportFilter
        let keyedBy: ReportDimension?
        let byDay: Bool
        let business: Bool
    }

    /// `days` as the rows that cover it: with `months`, the calendar months wholly inside it
    /// (month rows, the range of their first days) and the days before and after them; else
    /// every day.
    static func pieces(_ days: ClosedRange<Int>, months: Bool) -> [(RollupSpan, ClosedRange<Int>)] {
        guard months else { return [(.day, days)] }
        let first = LocalDate(dayNumber: days.lowerBound)
        let wholeFrom = first.day == 1 ? days.lowerBound : RollupSpan.month.key(of: RollupSpan.month.key(of: days.lowerBound) + 31)
        let next = LocalDate(dayNumber: days.upperBound + 1)
        let wholeTo = next.day == 1 ? days.upperBound : RollupSpan.month.key(of: days.upperBound) - 1
        guard wholeFrom < wholeTo else { return [(.day, days)] }
        var out: [(RollupSpan, ClosedRange<Int>)] = [(.month, wholeFrom...RollupSpan.month.key(of: wholeTo))]
        if days.lowerBound < wholeFrom { out.append((.day, days.lowerBound...(wholeFrom - 1))) }
        if wholeTo < days.upperBound { out.append((.day, (wholeTo + 1)...days.upperBound)) }
        return out
    }

    /// Where a report is read from unless asked: every filter and key has rollup rows (`plan`).
    public static func source(filter: ReportFilter, keyedBy: ReportDimension?) -> Source { .rollups }

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

    /// One row per metric, day (when `byDay`) and key, the rollups of one span over `days`
    /// (for months, the range of their first days), the inboxes (and days) summed in SQL:
    /// counts added, band counts joined.
    private static func rollupCells(_ db: any SQLDatabase, _ read: Read, span: RollupSpan, days: ClosedRange<Int>) async throws -> [ReportCell] {
        let plan = plan(filter: read.filter, keyedBy: read.keyedBy)
        let groups = ["metric"] + (read.byDay ? ["day"] : []) + (plan.key.map { [$0] } ?? [])
        let columns =
            ["metric"] + (read.byDay ? ["day"] : []) + (plan.key.map { ["\($0) AS k"] } ?? []) + [
                "CAST(SUM(count) AS BIGINT) AS n", "\(concat(db, read.business ? "bbands" : "bands")) AS b",
            ]
        var sql = SQLQueryString(
            "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM report_rollups WHERE span = \(bind: span.rawValue) AND metric IN ")
        sql.appendInterpolation(metricList(read.metrics))
        sql.appendInterpolation(plan.condition)
        sql.appendInterpolation(dayCondition(Array(days), days.lowerBound, days.upperBound))
        if let ids = read.filter.inboxIds {
            sql.appendLiteral(" AND inbox_id IN ")
            sql.appendInterpolation(idList(ids))
        }
        sql.appendLiteral(" GROUP BY \(groups.joined(separator: ", "))")
        return try await db.raw(sql).all().compactMap { r in
            guard let metric = ReportMetric(rawValue: try r.string("metric")) else { return nil }
            let at = CellKey(day: read.byDay ? Int(try r.int("day")) : nil, key: plan.key == nil ? nil : try r.int("k"))
            return ReportCell(metric: metric, at: at, count: Int(try r.int("n")), bands: BandCounts(text: try r.stringOpt("b") ?? ""))
        }
    }

    /// The same from the fact rows, day by day.
    private static func eventCells(_ db: any SQLDatabase, _ read: Read, days: ClosedRange<Int>) async throws -> [ReportCell] {
        var sql = SQLQueryString(
            "SELECT metric, day, inbox_id, agent_id, team_id, labels, \(unsafeRaw: read.business ? "business_seconds" : "seconds") AS v FROM report_events WHERE metric IN "
        )
        sql.appendInterpolation(metricList(read.metrics))
        sql.appendInterpolation(dayCondition(Array(days), days.lowerBound, days.upperBound))
        sql.appendInterpolation(factCondition(read.filter))
        struct Slot: Hashable {
            let metric: ReportMetric
            let at: CellKey
        }
        var cells: [Slot: ReportCell] = [:]
        for r in try await db.raw(sql).all() {
            guard let metric = ReportMetric(rawValue: try r.string("metric")) else { continue }
            let value = try r.doubleOpt("v")
            let keys: [ID?]
            switch read.keyedBy {
            case nil: keys = [nil]
            case .inbox: keys = [try r.int("inbox_id")]
            case .agent: keys = [try r.intOpt("agent_id")].filter { $0 != nil }
            case .team: keys = [try r.intOpt("team_id")].filter { $0 != nil }
            case .label: keys = try r.string("labels").split(separator: ",").compactMap { ID($0) }
            }
            for key in keys {
                let at = CellKey(day: read.byDay ? Int(try r.int("day")) : nil, key: key)
                var cell = cells[Slot(metric: metric, at: at)] ?? ReportCell(metric: metric, at: at, count: 0, bands: BandCounts())
                cell.count += 1
                if let value { cell.bands.add(1, toBand: ReportBands.band(of: value)) }
                cells[Slot(metric: metric, at: at)] = cell
            }
        }
        return Array(cells.values)
    }

    /// The hours of traffic in `[fromHour, toHour)`, of `inboxIds` (all when nil) summed per hour, and the sums of
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
                """
                SELECT hour, CAST(SUM(incoming) AS BIGINT) AS incoming, CAST(SUM(created) AS BIGINT) AS created,
                  CAST(SUM(unanswered) AS BIGINT) AS unanswered, CAST(SUM(backlog) AS BIGINT) AS backlog
                FROM report_traffic WHERE hour >= \(bind: fromHour) AND hour < \(bind: toHour)\(inboxes) GROUP BY hour ORDER BY hour
                """
            ).all().map { r in
                TrafficHour(
                    hour: Int(try r.int("hour")), incoming: Int(try r.int("incoming")), created: Int(try r.int("created")),
                    unanswered: Int(try r.int("unanswered")), backlog: Int(try r.int("backlog")))
            }
            let before = try await db.raw(
                "SELECT CAST(COALESCE(SUM(unanswered), 0) AS BIGINT) AS u, CAST(COALESCE(SUM(backlog), 0) AS BIGINT) AS b FROM report_traffic WHERE hour < \(bind: fromHour)\(inboxes)"
            ).first()
            return (rows, Int(try before?.int("u") ?? 0), Int(try before?.int("b") ?? 0))
        }
    }
}
