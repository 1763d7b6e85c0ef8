import Foundation
import KotaeCore
import SQLKit

/// The shop's time zone decides which day each fact counts in. Changing it counts every fact's
/// day again and rebuilds the daily rollups from the fact rows, in one transaction with the
/// settings saved beside it: reports never show days of two zones. (Traffic is kept in UTC
/// hours and needs nothing.)
extension Reports {
    struct RollupKey: Hashable {
        let dimension: ReportDimension
        let metric: ReportMetric
        let day: Int
        let id: ID
        let inbox: ID
    }

    struct RollupValues {
        var count = 0
        var vals: [Double] = []
        var bvals: [Double] = []
    }

    public enum TimeZoneProblem: Error, Equatable {
        case unknown(String)
    }

    /// Saves `settings` (nil removes one) and the zone `identifier`, and counts every report day
    /// again in it.
    public func setTimeZone(_ identifier: String, with settings: [String: String?] = [:]) async throws {
        guard let zone = TimeZone(identifier: identifier) else { throw TimeZoneProblem.unknown(identifier) }
        try await db.write { db in
            var all = settings
            all[Self.timeZoneKey] = identifier
            for (key, value) in all.sorted(by: { $0.key < $1.key }) {
                try await db.raw("DELETE FROM settings WHERE key = \(bind: key)").run()
                if let value { try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))").run() }
            }
            var rollups: [RollupKey: RollupValues] = [:]
            let rows = try await db.raw(
                "SELECT id, metric, at, day, inbox_id, agent_id, team_id, labels, seconds, business_seconds FROM report_events ORDER BY id"
            ).all()
            for r in rows {
                guard let metric = ReportMetric(rawValue: try r.string("metric")) else { continue }
                let day = LocalDate(of: Date(timeIntervalSince1970: try r.double("at")), in: zone).dayNumber
                if day != Int(try r.int("day")) {
                    try await db.raw("UPDATE report_events SET day = \(bind: day) WHERE id = \(bind: try r.int("id"))").run()
                }
                let labels = try r.string("labels").split(separator: ",").compactMap { ID($0) }
                let inbox = try r.int("inbox_id")
                let dims = Self.dimensions(inbox: inbox, agent: try r.intOpt("agent_id"), team: try r.intOpt("team_id"), labels: labels)
                let seconds = try r.doubleOpt("seconds"), business = try r.doubleOpt("business_seconds")
                for (dimension, id) in dims {
                    let key = RollupKey(dimension: dimension, metric: metric, day: day, id: id, inbox: inbox)
                    var v = rollups[key] ?? RollupValues()
                    v.count += 1
                    if let seconds, let business {
                        v.vals.append(seconds)
                        v.bvals.append(business)
                    }
                    rollups[key] = v
                }
            }
            try await db.raw("DELETE FROM report_rollups").run()
            try await Self.insertRollups(db, rollups)
        }
    }

    /// Writes whole rollup rows (to an empty table: a rebuild, or generated data).
    static func insertRollups(_ db: any SQLDatabase, _ rollups: [RollupKey: RollupValues]) async throws {
        let all = Array(rollups)
        for chunk in stride(from: 0, to: all.count, by: 200) {
            var sql = SQLQueryString("INSERT INTO report_rollups (dimension, metric, day, dimension_id, inbox_id, count, vals, bvals) VALUES ")
            for (i, (k, r)) in all[chunk..<min(chunk + 200, all.count)].enumerated() {
                sql.appendLiteral(i == 0 ? "(" : ", (")
                sql.appendInterpolation(bind: k.dimension.rawValue)
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: k.metric.rawValue)
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: Int64(k.day))
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: k.id)
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: k.inbox)
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: Int64(r.count))
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: DurationList.encode(r.vals))
                sql.appendLiteral(", ")
                sql.appendInterpolation(bind: DurationList.encode(r.bvals))
                sql.appendLiteral(")")
            }
            try await db.raw(sql).run()
        }
    }
}
