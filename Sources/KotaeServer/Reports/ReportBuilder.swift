import Foundation
import KotaeCore
import KotaeStore

/// Builds a report from the store's cells and traffic: rollups where they answer, fact rows
/// where they do not (`Reports.cells` decides). Every figure comes from counts per band:
/// medians and percentiles to the precision shown (`ReportBands`).
struct ReportBuilder {
    let store: KotaeStore

    static let metrics: [ReportMetric] = ReportMetric.allCases
    /// What each group of the series shows.
    static let seriesMetrics: [ReportMetric] = [.firstResponse, .firstResponseBreached, .resolution]

    func build(_ q: ReportQuery) async throws -> ReportData {
        let zone = try await store.reports.timeZone()
        let inboxes = try await store.inboxes.all()
        let filter = q.filter(inboxes: inboxes)
        let period = q.period, previous = q.period.previous
        let range = period.from.dayNumber...period.to.dayNumber
        let previousRange = previous.from.dayNumber...previous.to.dayNumber

        // The reads are independent: on SQLite each takes a reader of its own, so they run side by
        // side. Each period's figures are summed in the database over the whole period (whole
        // months from the month rollups); its series reads per day only what a group shows
        // (grouped by month, whole months from the month rollups too). Each channel's coverage
        // is read keyed by inbox over the whole period, always in calendar time; the per-agent
        // and per-label tables likewise.
        let reports = store.reports, business = q.business, months = period.grouping == .month
        let people: [ReportMetric] = [.firstResponse, .replyWait, .resolution, .oneTouch, .csat]
        async let currentRead = reports.cells(Self.metrics, days: range, filter: filter, byDay: false, business: business)
        async let previousRead = reports.cells(Self.metrics, days: previousRange, filter: filter, byDay: false, business: business)
        async let seriesRead = reports.cells(Self.seriesMetrics, days: range, filter: filter, months: months, business: business)
        async let previousSeriesRead = reports.cells([.firstResponse], days: previousRange, filter: filter, months: months, business: business)
        async let coverageRead = reports.cells([.firstResponse], days: range, filter: filter, keyedBy: .inbox, byDay: false, business: false)
        async let agentRead = reports.cells(people, days: range, filter: filter, keyedBy: .agent, byDay: false, business: business).cells
        async let labelRead = reports.cells(people, days: range, filter: filter, keyedBy: .label, byDay: false, business: business).cells
        let (cells, source) = try await currentRead
        let before = try await previousRead.cells

        let traffic = q.narrowsBeyondInboxes ? nil : try await Traffic.read(store, period: period, zone: zone, inboxIds: filter.inboxIds)
        let previousTraffic = q.narrowsBeyondInboxes ? nil : try await Traffic.read(store, period: previous, zone: zone, inboxIds: filter.inboxIds)

        // The groups of both periods, matched by position for "the previous period beside it";
        // a group needs only its first responses' bands.
        let groups = period.groups
        let groupOf = period.groupIndexByDay, previousGroupOf = previous.groupIndexByDay
        let now = Totals(cells), then = Totals(before)
        let current = Self.grouped(try await seriesRead.cells, count: groups.count) { groupOf[$0] }
        let earlier = Self.grouped(try await previousSeriesRead.cells, count: groups.count) { previousGroupOf[$0] }
        let agentTotals = Self.keyed(try await agentRead), labelTotals = Self.keyed(try await labelRead)

        let sums = traffic?.groupSums(period, groups)
        let series = groups.enumerated().map { i, start in
            let t = current[i]
            let answered = t.sample(.firstResponse).count
            let breached = t.count(.firstResponseBreached)
            return ReportData.SeriesRow(
                start: start.description, conversations: sums?[i].created, incoming: sums?[i].incoming, firstResponses: answered,
                firstResponseMedian: t.median(.firstResponse), firstResponseP90: t.p90(.firstResponse),
                previousFirstResponseMedian: earlier[i].median(.firstResponse), resolutions: t.count(.resolution),
                slaMet: answered - breached, slaBreached: breached)
        }

        let coverageCells = try await coverageRead.cells
        let channelOf = Dictionary(uniqueKeysWithValues: inboxes.map { ($0.id, $0.channel) })
        let byChannel = Dictionary(grouping: coverageCells) { $0.key.flatMap { channelOf[$0] } ?? .api }
        let coverage = ChannelKind.allCases.compactMap { kind -> ReportData.CoverageRow? in
            guard let cs = byChannel[kind] else { return nil }
            let s = Totals(cs).sample(.firstResponse)
            guard s.count > 0 else { return nil }
            let usual = CustomerExpectation.channelDefault(kind)
            // The bins, then the shares within each limit as their running sums (every limit is a band edge).
            let bins = s.histogram(edges: CustomerExpectation.limits)
            var running = 0
            let within = bins.dropLast().map { n -> Double in
                running += n
                return Double(running) / Double(s.count)
            }
            return ReportData.CoverageRow(
                channel: kind.rawValue, firstResponses: s.count, within: within, defaultSeconds: usual.seconds,
                withinDefault: within[CustomerExpectation.limits.firstIndex(of: usual.seconds) ?? 0], expectedByDefault: usual.share,
                met: CustomerExpectation.met(within: within), histogram: bins)
        }

        let users = Dictionary(uniqueKeysWithValues: try await store.accounts.users().map { ($0.id, $0.name) })
        let labelNames = Dictionary(uniqueKeysWithValues: try await store.labels().map { ($0.id, $0.name) })
        let agents = rows(agentTotals, names: users)
        let labels = rows(labelTotals, names: labelNames)

        let answered = now.sample(.csat).count, sent = now.count(.csatSent)
        let csat = ReportData.CSAT(
            distribution: now.ratings(), sent: sent, answered: answered, score: now.csatScore,
            responseRate: sent == 0 ? nil : Double(answered) / Double(sent))

        return ReportData(
            from: period.from.description, to: period.to.description, previousFrom: previous.from.description,
            previousTo: previous.to.description, grouping: period.grouping.rawValue, businessHours: q.business,
            timeZone: zone.identifier, source: source.rawValue, trafficFiltered: q.narrowsBeyondInboxes,
            // Every table has rollups (`Reports.plan`); the field stays in the API, always false.
            tablesOmitted: false,
            summary: Self.summary(now, then, traffic, previousTraffic), series: series, survey: CustomerExpectation.cumulativeShares,
            coverage: coverage, backlog: traffic?.backlog(period, groups) ?? [], heatmap: traffic?.heatmap ?? [],
            agents: agents, labels: labels, csat: csat)
    }

    /// Totals per group index of the cells' days (`groupOf`), one for each of `count` groups,
    /// with the first responses' bands only (what a group shows).
    static func grouped(_ cells: [ReportCell], count: Int, groupOf: (Int) -> Int?) -> [Totals] {
        let byGroup = Dictionary(grouping: cells) { $0.day.flatMap(groupOf) ?? 0 }
        return (0..<count).map { Totals(byGroup[$0] ?? [], values: [.firstResponse]) }
    }

    /// Totals per key (agent or label), with the keys in the same order.
    static func keyed(_ cells: [ReportCell]) -> (keys: [ID], totals: [Totals]) {
        let byKey = Dictionary(grouping: cells.filter { $0.key != nil }) { $0.key! }
        let keys = byKey.keys.sorted()
        return (keys, keys.map { Totals(byKey[$0]!) })
    }

    private func rows(_ keyed: (keys: [ID], totals: [Totals]), names: [ID: String]) -> [ReportData.PersonRow] {
        zip(keyed.keys, keyed.totals).map { id, t in
            ReportData.PersonRow(
                id: id, name: names[id] ?? "#\(id)", firstResponses: t.sample(.firstResponse).count, firstResponseMedian: t.median(.firstResponse),
                firstResponseP90: t.p90(.firstResponse), replyWaitMedian: t.median(.replyWait), resolutions: t.sample(.resolution).count,
                resolutionMedian: t.median(.resolution), oneTouch: t.count(.oneTouch), csatAnswered: t.sample(.csat).count,
                csatScore: t.csatScore)
        }.sorted { ($0.firstResponses + $0.resolutions, $1.name) > ($1.firstResponses + $1.resolutions, $0.name) }
    }

    static func summary(_ now: Totals, _ then: Totals, _ traffic: Traffic?, _ previousTraffic: Traffic?) -> [ReportData.Figure] {
        var out: [ReportData.Figure] = []
        func add(_ key: String, _ unit: String, _ f: (Totals) -> Double?) {
            out.append(ReportData.Figure(key: key, unit: unit, current: f(now), previous: f(then)))
        }
        func int(_ v: Int?) -> Double? { v.map(Double.init) }
        out.append(
            ReportData.Figure(
                key: "conversations", unit: "count", current: traffic.map { Double($0.created) }, previous: previousTraffic.map { Double($0.created) }
            ))
        out.append(
            ReportData.Figure(
                key: "incoming", unit: "count", current: traffic.map { Double($0.incoming) }, previous: previousTraffic.map { Double($0.incoming) }))
        add("firstResponses", "count") { Double($0.sample(.firstResponse).count) }
        add("firstResponseMedian", "seconds") { int($0.median(.firstResponse)) }
        add("firstResponseP90", "seconds") { int($0.p90(.firstResponse)) }
        add("replyWaitMedian", "seconds") { int($0.median(.replyWait)) }
        add("replyWaitP90", "seconds") { int($0.p90(.replyWait)) }
        add("firstResolutionMedian", "seconds") { int($0.median(.firstResolution)) }
        add("resolutions", "count") { Double($0.count(.resolution)) }
        add("resolutionMedian", "seconds") { int($0.median(.resolution)) }
        add("resolutionP90", "seconds") { int($0.p90(.resolution)) }
        add("oneTouchShare", "share") { t in t.count(.resolution) == 0 ? nil : Double(t.count(.oneTouch)) / Double(t.count(.resolution)) }
        add("reopens", "count") { Double($0.count(.reopen)) }
        add("botHandOffs", "count") { Double($0.count(.botHandOff)) }
        add("slaFirstResponseMet", "count") { Double($0.sample(.firstResponse).count - $0.count(.firstResponseBreached)) }
        add("slaFirstResponseBreached", "count") { Double($0.count(.firstResponseBreached)) }
        add("slaReplyMet", "count") { Double($0.sample(.replyWait).count - $0.count(.replyWaitBreached)) }
        add("slaReplyBreached", "count") { Double($0.count(.replyWaitBreached)) }
        add("csatScore", "share") { $0.csatScore }
        add("csatResponseRate", "share") { t in t.count(.csatSent) == 0 ? nil : Double(t.sample(.csat).count) / Double(t.count(.csatSent)) }
        return out
    }
}
