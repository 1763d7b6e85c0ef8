import Foundation

/// A report's tables as CSV: UTF-8 with a byte-order mark and CRLF lines, which Excel in Japan
/// opens as UTF-8. A cell a spreadsheet would run as a formula is kept as text.
enum ReportCSV {
    static let tables = ["summary", "series", "coverage", "backlog", "heatmap", "agents", "labels", "csat"]

    static func document(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The rows of one table, headed in the reader's language; nil for an unknown table.
    static func rows(_ table: String, _ r: ReportData, t: [String: String]) -> [[String]]? {
        func h(_ key: String) -> String { t["rep_\(key)"] ?? key }
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        func d(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }
        switch table {
        case "summary":
            return [["key", h("figure"), h("current") + " (\(r.from)〜\(r.to))", h("previous") + " (\(r.previousFrom)〜\(r.previousTo))", "unit"]]
                + r.summary.map { f in
                    let v: (Double?) -> String = { x in f.unit == "share" ? d(x) : x.map { String(Int($0)) } ?? "" }
                    return [f.key, h(f.key), v(f.current), v(f.previous), f.unit]
                }
        case "series":
            return [
                [
                    h("start"), h("conversations"), h("incoming"), h("firstResponses"), h("firstResponseMedian") + " (s)",
                    h("firstResponseP90") + " (s)", h("previousMedian") + " (s)", h("resolutions"), h("met_count"), h("breached_count"),
                ]
            ]
                + r.series.map {
                    [
                        $0.start, n($0.conversations), n($0.incoming), n($0.firstResponses), n($0.firstResponseMedian), n($0.firstResponseP90),
                        n($0.previousFirstResponseMedian), n($0.resolutions), n($0.slaMet), n($0.slaBreached),
                    ]
                }
        case "coverage":
            let limits = ["5m", "15m", "30m", "1h", "1d", "3d"]
            var head: [String] = [h("channel"), h("firstResponses")]
            head += limits.map { "≤\($0)" }
            head += [h("withinDefault"), h("met")]
            head += limits.map { "n≤\($0)" }
            head.append("n>3d")
            var survey: [String] = ["survey", ""]
            survey += r.survey.map { d($0) }
            survey += Array(repeating: "", count: 9)
            var out = [head, survey]
            for c in r.coverage {
                var row: [String] = [c.channel, String(c.firstResponses)]
                row += c.within.map { d($0) }
                row += [d(c.withinDefault), d(c.met)]
                row += c.histogram.map { String($0) }
                out.append(row)
            }
            return out
        case "backlog":
            return [[h("end"), h("unresolved"), h("unanswered")]] + r.backlog.map { [$0.end, String($0.unresolved), String($0.unanswered)] }
        case "heatmap":
            var out: [[String]] = [[h("weekday")] + (0..<24).map { String($0) }]
            for (i, row) in r.heatmap.enumerated() { out.append([h("wd_\(i + 1)")] + row.map { String($0) }) }
            return out
        case "agents", "labels":
            let head: [String] = [
                "id", h("name"), h("firstResponses"), h("firstResponseMedian") + " (s)", h("firstResponseP90") + " (s)",
                h("replyWaitMedian") + " (s)", h("resolutions"), h("resolutionMedian") + " (s)", h("oneTouch"), h("csatAnswered"),
                h("csatScore"),
            ]
            var out = [head]
            for p in table == "agents" ? r.agents : r.labels {
                let row: [String] = [
                    String(p.id), p.name, String(p.firstResponses), n(p.firstResponseMedian), n(p.firstResponseP90), n(p.replyWaitMedian),
                    String(p.resolutions), n(p.resolutionMedian), String(p.oneTouch), String(p.csatAnswered), d(p.csatScore),
                ]
                out.append(row)
            }
            return out
        case "csat":
            return [[h("rating"), h("count")]] + r.csat.distribution.enumerated().map { [String($0.offset + 1), String($0.element)] }
                + [
                    [h("sent"), String(r.csat.sent)], [h("answered"), String(r.csat.answered)], [h("csatScore"), d(r.csat.score)],
                    [h("csatResponseRate"), d(r.csat.responseRate)],
                ]
        default:
            return nil
        }
    }
}
