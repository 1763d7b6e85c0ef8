import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `/reports`: the report as a page, for admins. Charts are SVG drawn here, each beside a table
/// of its numbers and a CSV link; the form is a plain GET, so a report is a link to share.
struct ReportsPage {
    let web: WebController
    var app: AppServices { web.app }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reports", use: page)
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.identity else { return .redirect(to: "/login") }
        guard user.role == .admin else { return .redirect(to: "/") }
        let lang = web.language(request, user)
        let t = WebStrings.table(lang)
        func w(_ key: String, _ values: [String: String] = [:]) -> String { WebStrings.text(key, lang, values) }
        let zone = try await app.store.reports.timeZone()
        var p: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { p[String(k)] = String(v) }
        let today = LocalDate(of: app.clock.now, in: zone)
        var problem: String?
        let q: ReportQuery
        do {
            q = try ReportQuery.read(p, today: today)
        } catch {
            problem = w("rep_invalid", ["field": error.field, "reason": error.reason])
            q = try ReportQuery.read([:], today: today)
        }
        let r = try await ReportBuilder(store: app.store).build(q)
        let inboxes = try await app.store.inboxes.all()
        let users = try await app.store.accounts.users()
        let teams = try await app.store.teams.all()
        let labels = try await app.store.labels()

        func option(_ value: String, _ label: String, _ selected: Bool) -> [String: Any] { ["value": value, "label": label, "selected": selected] }
        let form: [String: Any] = [
            "presets": ReportPeriod.Preset.allCases.map { option($0.rawValue, t["rep_preset_\($0.rawValue)"] ?? $0.rawValue, q.preset == $0) }
                + [option("", t["rep_custom"] ?? "", q.preset == nil)],
            "from": q.preset == nil ? r.from : "", "to": q.preset == nil ? r.to : "",
            "groupings": ReportPeriod.Grouping.allCases.map { option($0.rawValue, t["rep_by_\($0.rawValue)"] ?? "", q.period.grouping == $0) },
            "business": q.business,
            "channels": [option("", t["rep_all"] ?? "", q.channel == nil)]
                + ChannelKind.allCases.filter { k in inboxes.contains { $0.channel == k } }.map {
                    option($0.rawValue, WebFormat.channelLabel($0, t: t), q.channel == $0)
                },
            "inboxes": [option("", t["rep_all"] ?? "", q.inboxId == nil)] + inboxes.map { option(String($0.id), $0.name, q.inboxId == $0.id) },
            "agents": [option("", t["rep_all"] ?? "", q.agentId == nil)] + users.map { option(String($0.id), $0.name, q.agentId == $0.id) },
            "teams": [option("", t["rep_all"] ?? "", q.teamId == nil)] + teams.map { option(String($0.id), $0.name, q.teamId == $0.id) },
            "labels": [option("", t["rep_all"] ?? "", q.labelId == nil)] + labels.map { option(String($0.id), $0.name, q.labelId == $0.id) },
        ]

        let dur = { (v: Double) in ReportFormat.duration(v, lang) }
        let count = { (v: Double) in String(Int(v.rounded())) }
        let pct = { (v: Double) in ReportFormat.share(v) }
        let starts = r.series.map { String($0.start.dropFirst(5)) }
        let seriesChart = ReportCharts.lines(
            t["rep_series_chart"] ?? "", labels: starts,
            series: [
                .init(name: t["rep_current"] ?? "", cls: "s1", values: r.series.map { $0.firstResponseMedian.map(Double.init) }),
                .init(name: t["rep_previous"] ?? "", cls: "s2", values: r.series.map { $0.previousFirstResponseMedian.map(Double.init) }),
            ], format: dur)
        let slaChart = ReportCharts.bars(
            t["rep_sla"] ?? "", labels: starts,
            series: [
                .init(name: t["rep_met_count"] ?? "", cls: "s1", values: r.series.map { Double($0.slaMet) }),
                .init(name: t["rep_breached_count"] ?? "", cls: "s3", values: r.series.map { Double($0.slaBreached) }),
            ], stacked: true, format: count)
        let limitWords = CustomerExpectation.limits.map { ReportFormat.duration(Double($0), lang) }
        let coverageChart = ReportCharts.lines(
            t["rep_coverage"] ?? "", labels: limitWords,
            series: [.init(name: t["rep_expected"] ?? "", cls: "s2", values: r.survey.map { $0 })]
                + r.coverage.enumerated().map { i, c in
                    .init(name: WebFormat.channelLabel(ChannelKind(rawValue: c.channel) ?? .api, t: t), cls: "c\(i % 4)", values: c.within.map { $0 })
                }, format: pct)
        let binWords = CustomerExpectation.limits.map { "≤" + ReportFormat.duration(Double($0), lang) } + [t["rep_longer"] ?? ""]
        let histogramChart = ReportCharts.bars(
            t["rep_histogram"] ?? "", labels: binWords,
            series: r.coverage.enumerated().map { i, c in
                .init(
                    name: WebFormat.channelLabel(ChannelKind(rawValue: c.channel) ?? .api, t: t), cls: "c\(i % 4)",
                    values: c.histogram.map(Double.init))
            }, format: count)
        let backlogChart = ReportCharts.lines(
            t["rep_backlog"] ?? "", labels: r.backlog.map { String($0.end.dropFirst(5)) },
            series: [
                .init(name: t["rep_unresolved"] ?? "", cls: "s1", values: r.backlog.map { Double($0.unresolved) }),
                .init(name: t["rep_unanswered"] ?? "", cls: "s3", values: r.backlog.map { Double($0.unanswered) }),
            ], format: count)
        let weekdays = (1...7).map { t["rep_wd_\($0)"] ?? "" }
        let heatChart =
            r.heatmap.isEmpty
            ? "" : ReportCharts.heatmap(t["rep_heatmap"] ?? "", rows: weekdays, columns: (0..<24).map { "\($0)" }, values: r.heatmap)
        let csatChart = ReportCharts.bars(
            t["rep_csat"] ?? "", labels: ["1", "2", "3", "4", "5"],
            series: [.init(name: t["rep_count"] ?? "", cls: "s1", values: r.csat.distribution.map(Double.init))], format: count)

        let query = q.queryString()
        let model: [String: Any] = [
            "frame": try await web.frame(lang: lang, user: user, context: context, title: t["reports"] ?? "Reports", section: "reports"),
            "form": form, "problem": problem ?? "", "hasProblem": problem != nil,
            "compare": w("rep_compare", ["from": r.previousFrom, "to": r.previousTo]),
            "timeNote": t[q.business ? "rep_business_note" : "rep_calendar_note"] ?? "",
            "fromEvents": r.source == "events", "trafficFiltered": r.trafficFiltered, "tablesOmitted": r.tablesOmitted,
            "csv": ReportCSV.tables.reduce(into: [String: String]()) { $0[$1] = "/api/v1/reports/\($1).csv?\(query)" },
            "summary": r.summary.map { f in
                [
                    "label": t["rep_\(f.key)"] ?? f.key, "key": f.key, "current": ReportFormat.figure(f.current, unit: f.unit, lang),
                    "previous": ReportFormat.figure(f.previous, unit: f.unit, lang),
                ]
            },
            "seriesChart": seriesChart, "slaChart": slaChart, "coverageChart": coverageChart, "histogramChart": histogramChart,
            "backlogChart": backlogChart, "heatChart": heatChart, "csatChart": csatChart,
            "series": r.series.map { s in
                [
                    "start": s.start, "conversations": s.conversations.map(String.init) ?? "—", "firstResponses": s.firstResponses,
                    "median": ReportFormat.duration(s.firstResponseMedian.map(Double.init), lang),
                    "p90": ReportFormat.duration(s.firstResponseP90.map(Double.init), lang),
                    "previous": ReportFormat.duration(s.previousFirstResponseMedian.map(Double.init), lang), "resolutions": s.resolutions,
                    "met": s.slaMet, "breached": s.slaBreached,
                ] as [String: Any]
            },
            "limits": limitWords.map { w("rep_within", ["limit": $0]) },
            "survey": r.survey.map(pct),
            "coverage": r.coverage.map { c in
                [
                    "channel": WebFormat.channelLabel(ChannelKind(rawValue: c.channel) ?? .api, t: t), "count": c.firstResponses,
                    "within": c.within.map(pct), "withinDefault": pct(c.withinDefault),
                    "defaultWords": ReportFormat.duration(Double(c.defaultSeconds), lang),
                    "expected": pct(c.expectedByDefault), "met": pct(c.met), "histogram": c.histogram,
                ] as [String: Any]
            },
            "bins": binWords,
            "backlog": r.backlog.map { ["end": $0.end, "unresolved": $0.unresolved, "unanswered": $0.unanswered] },
            "hasHeat": !r.heatmap.isEmpty,
            "heat": r.heatmap.enumerated().map { ["day": weekdays[$0.offset], "hours": $0.element] as [String: Any] },
            "hours": Array(0..<24),
            "agents": people(r.agents, lang), "labels": people(r.labels, lang), "hasAgents": !r.agents.isEmpty, "hasLabels": !r.labels.isEmpty,
            "csat": [
                "distribution": r.csat.distribution.enumerated().map { ["rating": $0.offset + 1, "count": $0.element] },
                "sent": r.csat.sent, "answered": r.csat.answered, "score": ReportFormat.share(r.csat.score),
                "rate": ReportFormat.share(r.csat.responseRate),
            ],
        ]
        return web.templates.page("reports", model)
    }

    private func people(_ rows: [ReportData.PersonRow], _ lang: String) -> [[String: Any]] {
        rows.map { p in
            [
                "name": p.name, "firstResponses": p.firstResponses, "median": ReportFormat.duration(p.firstResponseMedian.map(Double.init), lang),
                "p90": ReportFormat.duration(p.firstResponseP90.map(Double.init), lang),
                "wait": ReportFormat.duration(p.replyWaitMedian.map(Double.init), lang), "resolutions": p.resolutions,
                "resolution": ReportFormat.duration(p.resolutionMedian.map(Double.init), lang), "oneTouch": p.oneTouch,
                "csat": ReportFormat.share(p.csatScore),
            ]
        }
    }
}
