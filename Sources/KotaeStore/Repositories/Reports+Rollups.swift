import Foundation
import KotaeCore
import SQLKit

/// The daily rollups (migration 39): per dimension (or pair, `Reports+Plan`), metric, day,
/// dimension id and inbox, a count and the values' counts per band (`report_rollups`, calendar
/// and business seconds). The exact values stay in the fact rows, which know their bands
/// (indexed): a report reads the counts, then only the fact rows of the bands that hold its
/// medians and percentiles.
extension Reports {
    struct RollupKey: Hashable {
        let dimension: RollupKind
        let metric: ReportMetric
        let day: Int
        let id: ID
        let inbox: ID
    }

    /// A rollup's facts, for writing whole rows (a rebuild, or generated data).
    struct RollupValues {
        var count = 0
        var vals: [Double] = []
        var bvals: [Double] = []
    }

    /// One fact more in `key`'s rollup.
    static func addToRollup(_ db: any SQLDatabase, _ key: RollupKey, seconds: Double?, business: Double?) async throws {
        guard let seconds, let business else { return try await addCount(db, key, 1) }
        try await changeBands(db, key, by: 1, seconds: seconds, business: business)
    }

    /// One fact fewer in `key`'s rollup (a resolution a reopening took back).
    static func removeFromRollup(_ db: any SQLDatabase, _ key: RollupKey, seconds: Double?, business: Double?) async throws {
        guard let seconds, let business else { return try await addCount(db, key, -1) }
        try await changeBands(db, key, by: -1, seconds: seconds, business: business)
    }

    /// The bands of fact rows written before they were kept (migration 39).
    static func fillBands(_ db: any SQLDatabase) async throws {
        let rows = try await db.raw("SELECT id, seconds, business_seconds FROM report_events WHERE seconds IS NOT NULL AND band IS NULL").all()
        for r in rows {
            let band = ReportBands.band(of: try r.double("seconds")), bband = try r.doubleOpt("business_seconds").map(ReportBands.band(of:))
            try await db.raw("UPDATE report_events SET band = \(bind: band), bband = \(bind: bband) WHERE id = \(bind: try r.int("id"))").run()
        }
    }

    private static func addCount(_ db: any SQLDatabase, _ key: RollupKey, _ delta: Int) async throws {
        try await db.raw(
            """
            INSERT INTO report_rollups (dimension, metric, day, dimension_id, inbox_id, count)
            VALUES (\(bind: key.dimension.rawValue), \(bind: key.metric.rawValue), \(bind: key.day), \(bind: key.id), \(bind: key.inbox), \(bind: delta))
            ON CONFLICT (dimension, metric, day, dimension_id, inbox_id) DO UPDATE SET count = report_rollups.count + excluded.count
            """
        ).run()
    }

    /// The count and both band counts, read and written under the row's lock: the no-op upsert
    /// makes the row and locks it on PostgreSQL until the transaction ends, so two changes of
    /// one rollup never overwrite each other.
    private static func changeBands(_ db: any SQLDatabase, _ key: RollupKey, by delta: Int, seconds: Double, business: Double) async throws {
        let match: SQLQueryString = """
            dimension = \(bind: key.dimension.rawValue) AND metric = \(bind: key.metric.rawValue) AND day = \(bind: key.day)
            AND dimension_id = \(bind: key.id) AND inbox_id = \(bind: key.inbox)
            """
        let row = try await db.raw(
            """
            INSERT INTO report_rollups (dimension, metric, day, dimension_id, inbox_id, count)
            VALUES (\(bind: key.dimension.rawValue), \(bind: key.metric.rawValue), \(bind: key.day), \(bind: key.id), \(bind: key.inbox), 0)
            ON CONFLICT (dimension, metric, day, dimension_id, inbox_id) DO UPDATE SET count = report_rollups.count
            RETURNING bands, bbands
            """
        ).first()
        var bands = BandCounts(text: try row?.string("bands") ?? ""), bbands = BandCounts(text: try row?.string("bbands") ?? "")
        bands.add(delta, toBand: ReportBands.band(of: seconds))
        bbands.add(delta, toBand: ReportBands.band(of: business))
        try await db.raw(
            "UPDATE report_rollups SET count = count + \(bind: delta), bands = \(bind: bands.text), bbands = \(bind: bbands.text) WHERE \(match)"
        ).run()
    }

    /// Counts every fact's day again in `zone` and writes the rollups anew from the fact rows.
    static func rebuildRollups(_ db: any SQLDatabase, zone: TimeZone) async throws {
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
            let dims = dimensions(inbox: inbox, agent: try r.intOpt("agent_id"), team: try r.intOpt("team_id"), labels: labels)
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
        try await insertRollups(db, rollups)
    }

    /// Writes whole rollups (to an empty table: a rebuild, or generated data).
    static func insertRollups(_ db: any SQLDatabase, _ rollups: [RollupKey: RollupValues]) async throws {
        var rows: [[any Encodable & Sendable]] = []
        for (k, r) in rollups {
            var bands = BandCounts(), bbands = BandCounts()
            for v in r.vals { bands.add(1, toBand: ReportBands.band(of: v)) }
            for v in r.bvals { bbands.add(1, toBand: ReportBands.band(of: v)) }
            rows.append([k.dimension.rawValue, k.metric.rawValue, Int64(k.day), k.id, k.inbox, Int64(r.count), bands.text, bbands.text])
        }
        try await insertRows(db, "report_rollups (dimension, metric, day, dimension_id, inbox_id, count, bands, bbands)", rows)
    }

    /// Inserts `rows` into `table` ("name (columns)"), `chunk` rows a statement.
    static func insertRows(_ db: any SQLDatabase, _ table: String, _ rows: [[any Encodable & Sendable]], chunk size: Int = 200) async throws {
        for chunk in stride(from: 0, to: rows.count, by: size) {
            var sql = SQLQueryString("INSERT INTO \(unsafeRaw: table) VALUES ")
            for (i, row) in rows[chunk..<min(chunk + size, rows.count)].enumerated() {
                sql.appendLiteral(i == 0 ? "(" : ", (")
                for (j, v) in row.enumerated() {
                    if j > 0 { sql.appendLiteral(", ") }
                    sql.appendInterpolation(bind: v)
                }
                sql.appendLiteral(")")
            }
            try await db.raw(sql).run()
        }
    }
}
