extension Migration {
    /// 39: a rollup counts its values per band (`bands`, `bbands` for business seconds) and keeps
    /// each band's exact values in a row of its own (`report_band_values`), so a median over a
    /// year reads one band's values, not all of them (`ReportBands`). The rollups are rebuilt
    /// from the fact rows, which hold every fact still counted.
    static let v39RollupsByBand = Migration(
        version: 39, name: "report rollups count their values by band",
        statements: [
            "DROP TABLE report_rollups",
            """
            CREATE TABLE report_rollups (
              dimension TEXT NOT NULL, metric TEXT NOT NULL, day {int} NOT NULL, dimension_id {int} NOT NULL, inbox_id {int} NOT NULL,
              count {int} NOT NULL DEFAULT 0, bands TEXT NOT NULL DEFAULT '', bbands TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (dimension, metric, day, dimension_id, inbox_id)) {clustered}
            """,
            """
            CREATE TABLE report_band_values (
              dimension TEXT NOT NULL, metric TEXT NOT NULL, clock TEXT NOT NULL, band {int} NOT NULL, day {int} NOT NULL,
              dimension_id {int} NOT NULL, inbox_id {int} NOT NULL, vals TEXT NOT NULL DEFAULT '',
              PRIMARY KEY (dimension, metric, clock, band, day, dimension_id, inbox_id)) {clustered}
            """,
        ],
        then: { db in try await Reports.rebuildRollups(db, zone: try await Reports.timeZone(db)) })
}
