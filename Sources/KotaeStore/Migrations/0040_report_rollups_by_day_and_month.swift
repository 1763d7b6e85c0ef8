extension Migration {
    /// 40: rollups are kept per day and per month (`span`), so a year reads twelve rows per key
    /// and not 365, and count their values in bands of the precision reports show
    /// (`ReportBands`), so no report reads the fact rows' values any more: their band columns
    /// and indexes go. The rollups are rebuilt from the fact rows, which hold every fact still
    /// counted.
    static let v40RollupsByDayAndMonth = Migration(
        version: 40, name: "report rollups by day and by month, in the bands reports show",
        statements: [
            "DROP INDEX IF EXISTS report_events_by_band",
            "DROP INDEX IF EXISTS report_events_by_bband",
            "DROP INDEX IF EXISTS report_events_band_cover",
            "ALTER TABLE report_events DROP COLUMN band",
            "ALTER TABLE report_events DROP COLUMN bband",
            "DROP TABLE report_rollups",
            """
            CREATE TABLE report_rollups (
              span TEXT NOT NULL, dimension TEXT NOT NULL, metric TEXT NOT NULL, day {int} NOT NULL, dimension_id {int} NOT NULL,
              inbox_id {int} NOT NULL, count {int} NOT NULL DEFAULT 0, bands TEXT NOT NULL DEFAULT '', bbands TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (span, dimension, metric, day, dimension_id, inbox_id)) {clustered}
            """,
        ],
        then: { db in
            // A new database has no facts: nothing to count again.
            guard try await db.raw("SELECT id FROM report_events LIMIT 1").first() != nil else { return }
            try await Reports.rebuildRollups(db, zone: try await Reports.timeZone(db))
        })
}
