import Foundation
import KotaeCore
import SQLKit

/// The rollups (migration 40): per span (a day, and the calendar month it is in), dimension
/// (or pair, `Reports+Plan`), metric, dimension id and inbox, a count and the values' counts
/// per band (`report_rollups`, calendar and business seconds; `ReportBands`). A fact is counted
/// in its day's row and its month's, in the same transaction, so a year reads twelve rows per
/// key and never a value.
extension Reports {
    /// A rollup row's time: a day, or the calendar month (in the shop's zone) it begins.
    enum RollupSpan: String, CaseIterable {
        case day, month

        /// The `day` a row of this span keeps for `day`: itself, or its month's first day.
        func key(of day: Int) -> Int {
            switch self {
            case .day: return day
            case .month:
                let d = LocalDate(dayNumber: day)
                return LocalDate(d.year, d.month, 1).dayNumber
            }
        }
    }

    struct RollupKey: Hashable {
        let span: RollupSpan
        let dimension: RollupKind
        let metric: ReportMetric
        let day: Int
        let id: ID
        let inbox: ID

        /// The day's row and its month's.
        static func spans(_ dimension: RollupKind, _ metric: ReportMetric, day: Int, id: ID, inbox: ID) -> [RollupKey] {
            RollupSpan.allCases.map { RollupKey(span: $0, dimension: dimension, metric: metric, day: $0.key(of: day), id: id, inbox: inbox) }
        }
    }

    /// A rollup's counts, for writing whole rows (a rebuild, or generated data).
    struct RollupValues {
        var count = 0
        var bands: [Int: Int] = [:]
        var bbands: [Int: Int] = [:]

        mutating func add(seconds: Double?, business: Double?) {
            count += 1
            guard let seconds, let business else { return }
            bands[ReportBands.band(of: seconds), default: 0] += 1
            bbands[ReportBands.band(of: business), default: 0] += 1
        }
    }

    /// One fact more (`delta` 1) or fewer (-1, a resolution a reopening took back) in the rows
    /// of `dimension` it counts in, its day's and its month's.
    static func changeRollups(
        _ db: any SQLDatabase, _ dimension: RollupKind, _ metric: ReportMetric, day: Int, id: ID, inbox: ID, by delta: Int, seconds: Double?,
        business: Double?
    ) async throws {
        for key in RollupKey.spans(dimension, metric, day: day, id: id, inbox: inbox) {
            if let seconds, let business {
                try await changeBands(db, key, by: delta, seconds: seconds, business: business)
            } else {
                try await addCount(db, key, delta)
            }
        }
    }

    private static func addCount(_ db: any SQLDatabase, _ key: RollupKey, _ delta: Int) async throws {
        try await db.raw(
            """
            INSERT INTO report_rollups (span, dimension, metric, day, dimension_id, inbox_id, count)
            VALUES (\(bind: key.span.rawValue), \(bind: key.dimension.rawValue), \(bind: key.metric.rawValue), \(bind: key.day), \(bind: key.id),
              \(bind: key.inbox), \(bind: delta))
            ON CONFLICT (span, dimension, metric, day, dimension_id, inbox_id) DO UPDATE SET count = report_rollups.count + excluded.count
            """
        ).run()
    }

    /// The count and both band counts, read and written under the row's lock: the no-op upsert
    /// makes the row and locks it on PostgreSQL until the transaction ends, so two changes of
    /// one rollup never overwrite each other.
    private static func changeBands(_ db: any SQLDatabase, _ key: RollupKey, by delta: Int, seconds: Double, business: Double) async throws {
        let row = try await db.raw(
            """
            INSERT INTO report_rollups (span, dimension, metric, day, dimension_id, inbox_id, count)
            VALUES (\(bind: key.span.rawValue), \(bind: key.dimension.rawValue), \(bind: key.metric.rawValue), \(bind: key.day), \(bind: key.id),
              \(bind: key.inbox), 0)
            ON CONFLICT (span, dimension, metric, day, dimension_id, inbox_id) DO UPDATE SET count = report_rollups.count
            RETURNING bands, bbands
            """
        ).first()
        var bands = BandCounts(text: try row?.string("bands") ?? ""), bbands = BandCounts(text: try row?.string("bbands") ?? "")
        bands.add(delta, toBand: ReportBands.band(of: seconds))
        bbands.add(delta, toBand: ReportBands.band(of: business))
        try await db.raw(
            """
            UPDATE report_rollups SET count = count + \(bind: delta), bands = \(bind: bands.text), bbands = \(bind: bbands.text)
            WHERE span = \(bind: key.span.rawValue) AND dimension = \(bind: key.dimension.rawValue) AND metric = \(bind: key.metric.rawValue)
              AND day = \(bind: key.day) AND dimension_id = \(bind: key.id) AND inbox_id = \(bind: key.inbox)
            """
        ).run()
    }

    /// Counts every fact's day again in `zone` and writes the rollups anew from the fact rows,
    /// read a chunk at a time (a year of a busy shop is millions of rows).
    static func rebuildRollups(_ db: any SQLDatabase, zone: TimeZone) async throws {
        var rollups: [RollupKey: RollupValues] = [:]
        var after: ID = 0
        while true {
            let rows = try await db.raw(
                """
                SELECT id, metric, at, day, inbox_id, agent_id, team_id, labels, seconds, business_seconds FROM report_events
                WHERE id > \(bind: after) ORDER BY id LIMIT 20000
                """
            ).all()
            guard let last = rows.last else { break }
            after = try last.int("id")
            for r in rows {
                guard let metric = ReportMetric(rawValue: try r.string("metric")) else { continue }
                let day = LocalDate(of: Date(timeIntervalSince1970: try r.double("at")), in: zone).dayNumber
                if day != Int(try r.int("day")) {
                    try await db.raw("UPDATE report_events SET day = \(bind: day) WHERE id = \(bind: try r.int("id"))").run()
                }
                let labels = try r.string("labels").split(separator: ",").compactMap { ID($0) }
                let inbox = try r.int("inbox_id")
                let seconds = try r.doubleOpt("seconds"), business = try r.doubleOpt("business_seconds")
                for (dimension, id) in dimensions(inbox: inbox, agent: try r.intOpt("agent_id"), team: try r.intOpt("team_id"), labels: labels) {
                    for key in RollupKey.spans(dimension, metric, day: day, id: id, inbox: inbox) {
                        rollups[key, default: RollupValues()].add(seconds: seconds, business: business)
                    }
                }
            }
        }
        try await db.raw("DELETE FROM report_rollups").run()
        try await insertRollups(db, rollups)
    }

    /// Writes whole rollups (to an empty table: a rebuild, or generated data).
    static func insertRollups(_ db: any SQLDatabase, _ rollups: [RollupKey: RollupValues]) async throws {
        let rows: [[any Encodable & Sendable]] = rollups.map { k, r in
            [
                k.span.rawValue, k.dimension.rawValue, k.metric.rawValue, Int64(k.day), k.id, k.inbox, Int64(r.count),
                BandCounts(counts: r.bands).text, BandCounts(counts: r.bbands).text,
            ]
        }
        try await insertRows(db, "report_rollups (span, dimension, metric, day, dimension_id, inbox_id, count, bands, bbands)", rows)
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
