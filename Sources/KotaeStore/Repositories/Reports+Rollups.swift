import Foundation
import KotaeCore
import SQLKit

/// The rollups (migration 40): per span (a day, and the calendar month it is in), dimension
/// (or pair, `Reports+Plan`), metric, dimension id and inbox, a count and the values' counts
/// per band (`report_rollups`, calendar and business seconds; `ReportBands`). A fact is counted
/// in its day's row and its month's, in the same transaction (appended, `appendToRollups`), so a
/// year reads twelve rows per key and never a value.
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

    struct RollupKey: Hashable, Comparable {
        let span: RollupSpan
        let dimension: RollupKind
        let metric: ReportMetric
        let day: Int
        let id: ID
        let inbox: ID

        static func < (a: RollupKey, b: RollupKey) -> Bool {
            (a.span.rawValue, a.dimension.rawValue, a.metric.rawValue, a.day, a.id, a.inbox)
                < (b.span.rawValue, b.dimension.rawValue, b.metric.rawValue, b.day, b.id, b.inbox)
        }

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

    /// A row's text is written whole again after this many appends.
    static let compactEvery = 200

    /// Adds one change's facts to their rollup rows in one statement: counts added, band counts
    /// appended (texts joined end to end add up). The rows go in key order, so two
    /// transactions lock shared rows in the same order on PostgreSQL. A row appended to
    /// `compactEvery` times is written whole again (`compact`).
    static func appendToRollups(_ db: any SQLDatabase, _ rollups: [RollupKey: RollupValues]) async throws {
        guard !rollups.isEmpty else { return }
        let keys = rollups.keys.sorted()
        var sql = SQLQueryString(
            "INSERT INTO report_rollups (span, dimension, metric, day, dimension_id, inbox_id, count, bands, bbands, appended) VALUES ")
        for (i, k) in keys.enumerated() {
            let r = rollups[k]!
            sql.appendLiteral(i == 0 ? "(" : ", (")
            sql.appendInterpolation(
                """
                \(bind: k.span.rawValue), \(bind: k.dimension.rawValue), \(bind: k.metric.rawValue), \(bind: k.day), \(bind: k.id), \(bind: k.inbox),
                \(bind: r.count), \(bind: BandCounts(counts: r.bands).text), \(bind: BandCounts(counts: r.bbands).text), \(bind: r.bands.isEmpty ? 0 : 1)
                """ as SQLQueryString)
            sql.appendLiteral(")")
        }
        sql.appendLiteral(
            """
             ON CONFLICT (span, dimension, metric, day, dimension_id, inbox_id) DO UPDATE SET count = report_rollups.count + excluded.count,
              bands = report_rollups.bands || excluded.bands, bbands = report_rollups.bbands || excluded.bbands,
              appended = report_rollups.appended + excluded.appended
            RETURNING span, dimension, metric, day, dimension_id, inbox_id, appended
            """)
        for r in try await db.raw(sql).all() where try r.int("appended") >= compactEvery {
            guard let span = RollupSpan(rawValue: try r.string("span")), let dimension = RollupKind(rawValue: try r.string("dimension")),
                let metric = ReportMetric(rawValue: try r.string("metric"))
            else { continue }
            try await compact(
                db,
                RollupKey(
                    span: span, dimension: dimension, metric: metric, day: Int(try r.int("day")), id: try r.int("dimension_id"),
                    inbox: try r.int("inbox_id")))
        }
    }

    /// Writes a row's band counts whole again, each band once.
    private static func compact(_ db: any SQLDatabase, _ key: RollupKey) async throws {
        guard let row = try await db.raw("SELECT bands, bbands FROM report_rollups WHERE \(match(key))").first() else { return }
        let bands = BandCounts(text: try row.string("bands")), bbands = BandCounts(text: try row.string("bbands"))
        try await db.raw("UPDATE report_rollups SET bands = \(bind: bands.text), bbands = \(bind: bbands.text), appended = 0 WHERE \(match(key))")
            .run()
    }

    private static func match(_ key: RollupKey) -> SQLQueryString {
        """
        span = \(bind: key.span.rawValue) AND dimension = \(bind: key.dimension.rawValue) AND metric = \(bind: key.metric.rawValue)
          AND day = \(bind: key.day) AND dimension_id = \(bind: key.id) AND inbox_id = \(bind: key.inbox)
        """
    }

    /// One fact fewer (a resolution a reopening took back) in the rows of `dimension` it
    /// counts in, its day's and its month's: each read and written whole under its lock (an
    /// appended text holds no negative counts). The no-op upsert locks the row on PostgreSQL
    /// until the transaction ends, so two changes of one rollup never overwrite each other.
    static func retractFromRollups(
        _ db: any SQLDatabase, _ dimension: RollupKind, _ metric: ReportMetric, day: Int, id: ID, inbox: ID, seconds: Double?, business: Double?
    ) async throws {
        for key in RollupKey.spans(dimension, metric, day: day, id: id, inbox: inbox) {
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
            if let seconds, let business {
                bands.add(-1, toBand: ReportBands.band(of: seconds))
                bbands.add(-1, toBand: ReportBands.band(of: business))
            }
            try await db.raw(
                "UPDATE report_rollups SET count = count - 1, bands = \(bind: bands.text), bbands = \(bind: bbands.text), appended = 0 WHERE \(match(key))"
            ).run()
        }
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
