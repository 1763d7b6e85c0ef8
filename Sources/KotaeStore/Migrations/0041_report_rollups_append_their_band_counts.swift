extension Migration {
    /// 41: a change appends its facts' band counts to its rollup rows in one statement (texts
    /// joined end to end add up); `appended` counts the appends since a row's text was last
    /// written whole, so it is rewritten whole every so often and stays short.
    static let v41RollupsAppendTheirBandCounts = Migration(
        version: 41, name: "report rollups append their band counts",
        statements: [
            "ALTER TABLE report_rollups ADD COLUMN appended {int} NOT NULL DEFAULT 0"
        ])
}
