import Foundation
import KotaeCore
import KotaeStore

/// Builds a report from the store's cells and traffic: rollups where they answer, fact rows
/// where they do not (`Reports.cells` decides), medians and percentiles over the exact values.
struct ReportBuilder {
    let store: KotaeStore

    static let metrics: [ReportMetric] = ReportMetric.allCases

    func build(_ q: ReportQuery) async throws -> ReportData {
        let zone = try await store.reports.timeZone()
        let inboxes = try await store.inboxes.all()
        let filter = q.filter(inboxes: inboxes)
        let period = q.period, previous = q.period.previous
        let range = period.from.dayNumber...period.to.dayNumber
        let previousRange = previous.from.dayNumber...previous.to.dayNumber

        // The reads are independent: on SQLite each takes a reader of its own, so they run side by side.
        // The period's cells are keyed by inbox, so in calendar time they also give each channel's
        // coverage; the per-agent and per-label tables are read only where the rollups answer them.
        let reports = store.reports, business = q.business
        let people: [ReportMetric] = [.firstResponse, .replyWait, .resolution, .oneTouch, .csat]
        let agentsFromRollups = Reports.source(filter: filter, keyedBy: .agent) == .rollups
        let labelsFromRollups = Reports.source(filter: filter, keyedBy: .label) == .rollups
        async let currentRead = reports.cells(Self.metrics, days: range, filter: filter, keyedBy: .inbox, business: business)
        async let previousRead = reports.cells(Self.metrics, days: previousRange, filter: filter, business: business)
        async let coverageRead =
            business ? reports.cells([.firstResponse], days: range, filter: filter, keyedBy: .inbox, business: false).cells : []
        async let agentRead = agentsFromRollups ? reports.cells(people, days: range, filter: filter, keyedBy: .agent, business: business).cells : []
        async let labelRead = labelsFromRollups ? reports.cells(people, days: range, filter: filter, keyedBy: .label, business: business).cells : []
        let (cells, source) = try await currentRead
        let before = try await previousRead.cells
        let now = Totals(cells), then = Totals(before)

        let traffic = q.narrowsBeyondInboxes ? nil : try await Traffic.read(store, period: period, zone: zone, inboxIds: filter.inboxIds)
        let previousTraffic = q.narrowsBeyondInboxes ? nil : try await Traffic.read(store, period: previous, zone: zone, inboxIds: filter.inboxIds)

        // The groups of both periods, matched by position for "the previous period beside it".
        let groups = period.groups
        let groupOf = period.groupIndexByDay, previousGroupOf = previous.groupIndexByDay
        let byGroup = Dictionary(grouping: cells) { groupOf[$0.day] ?? 0 }.mapValues(Totals.init)
        let previousByGroup = Dictionary(grouping: before) { previousGroupOf[$0.day] ?? 0 }.mapValues(Totals.init)
        let sums = traffic?.groupSums(period, groups)
        let series = groups.enumerated().map { i, start in
            let t = byGroup[i] ?? Totals([])
            let frt = t.sample(.firstResponse)
            let breached = t.count(.firstResponseBreached)
            return ReportData.SeriesRow(
                start: start.description, conversations: sums?[i].created, incoming: sums?[i].incoming, firstResponses: frt.count,
                firstResponseMedian: frt.median,
                firstResponseP90: frt.p90, previousFirstResponseMedian: previousByGroup[i]?.sample(.firstResponse).median,
                resolutions: t.count(.resolution), slaMet: frt.count - breached, slaBreached: breached)
        }

        let coverageCells = business ? try await coverageRead : cells.filter { $0.metric == .firstResponse }
        let channelOf = Dictionary(uniqueKeysWithValues: inboxes.map { ($0.id, $0.channel) })
        let byChannel = Dictionary(grouping: coverageCells) { $0.key.flatMap { channelOf[$0] } ?? .api }
        let coverage = ChannelKind.allCases.compactMap { kind -> ReportData.CoverageRow? in
            guard let cs = byChannel[kind] else { return nil }
            let s = Totals(cs).sample(.firstResponse)
            guard s.count > 0 else { return nil }
            let usual = CustomerExpectation.channelDefault(kind)
            // One pass: the bins, then the shares within each limit as their running sums.
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
        let agents = rows(try await agentRead, names: users)
        let labels = rows(try await labelRead, names: labelNames)

        let ratings = now.values(.csat)
        var distribution = [0, 0, 0, 0, 0]
        for r in ratings where (1...5).contains(r) { distribution[r - 1] += 1 }
        let sent = now.count(.csatSent)
        let csat = ReportData.CSAT(
            distribution: distribution, sent: sent, answered: ratings.count,
            score: ratings.isEmpty ? nil : Double(ratings.filter { $0 >= 4 }.count) / Double(ratings.count),
            responseRate: sent == 0 ? nil : Double(ratings.count) / Double(sent))

        return ReportData(
            from: period.from.description, to: period.to.description, previousFrom: previous.from.description,
            previousTo: previous.to.description, grouping: period.grouping.rawValue, businessHours: q.business,
            timeZone: zone.identifier, source: source.rawValue, trafficFiltered: q.narrowsBeyondInboxes,
            tablesOmitted: !agentsFromRollups || !labelsFromRollups,
            summary: Self.summary(now, then, traffic, previousTraffic), series: series, survey: CustomerExpectation.cumulativeShares,
            coverage: coverage, backlog: traffic?.backlog(period, groups) ?? [], heatmap: traffic?.heatmap ?? [],
            agents: agents, labels: labels, csat: csat)
    }

    private func rows(_ cells: [ReportCell], names: [ID: String]) -> [ReportData.PersonRow] {
        Dictionary(grouping: cells.filter { $0.key != nil }) { $0.key! }.map { id, cs in
            let t = Totals(cs)
            let frt = t.sample(.firstResponse), res = t.sample(.resolution), ratings = t.values(.csat)
            return ReportData.PersonRow(
                id: id, name: names[id] ?? "#\(id)", firstResponses: frt.count, firstResponseMedian: frt.median,
                firstResponseP90: frt.p90, replyWaitMedian: t.sample(.replyWait).median, resolutions: res.count,
                resolutionMedian: res.median, oneTouch: t.count(.oneTouch), csatAnswered: ratings.count,
                csatScore: ratings.isEmpty ? nil : Double(ratings.filter { $0 >= 4 }.count) / Double(ratings.count))
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
        add("firstResponseMedian", "seconds") { int($0.sample(.firstResponse).median) }
        add("firstResponseP90", "seconds") { int($0.sample(.firstResponse).p90) }
        add("replyWaitMedian", "seconds") { int($0.sample(.replyWait).median) }
        add("replyWaitP90", "seconds") { int($0.sample(.replyWait).p90) }
        add("firstResolutionMedian", "seconds") { int($0.sample(.firstResolution).median) }
        add("resolutions", "count") { Double($0.count(.resolution)) }
        add("resolutionMedian", "seconds") { int($0.sample(.resolution).median) }
        add("resolutionP90", "seconds") { int($0.sample(.resolution).p90) }
        add("oneTouchShare", "share") { t in t.count(.resolution) == 0 ? nil : Double(t.count(.oneTouch)) / Double(t.count(.resolution)) }
        add("reopens", "count") { Double($0.count(.reopen)) }
        add("botHandOffs", "count") { Double($0.count(.botHandOff)) }
        add("slaFirstResponseMet", "count") { Double($0.sample(.firstResponse).count - $0.count(.firstResponseBreached)) }
        add("slaFirstResponseBreached", "count") { Double($0.count(.firstResponseBreached)) }
        add("slaReplyMet", "count") { Double($0.sample(.replyWait).count - $0.count(.replyWaitBreached)) }
        add("slaReplyBreached", "count") { Double($0.count(.replyWaitBreached)) }
        add("csatScore", "share") { t in
            let r = t.values(.csat)
            return r.isEmpty ? nil : Double(r.filter { $0 >= 4 }.count) / Double(r.count)
        }
        add("csatResponseRate", "share") { t in t.count(.csatSent) == 0 ? nil : Double(t.values(.csat).count) / Double(t.count(.csatSent)) }
        return out
    }
}

/// Cells summed per metric: counts, and exact values less what a reopening took back, each
/// metric's sample made once (with its median and 90th percentile).
struct Totals {
    private var counts: [ReportMetric: Int] = [:]
    private var samples: [ReportMetric: DurationSample] = [:]

    init(_ cells: [ReportCell]) {
        var all: [ReportMetric: [Int]] = [:], removed: [ReportMetric: [Int]] = [:]
        for c in cells {
            counts[c.metric, default: 0] += c.count
            if !c.values.isEmpty { all[c.metric, default: []].append(contentsOf: c.values) }
            if !c.removed.isEmpty { removed[c.metric, default: []].append(contentsOf: c.removed) }
        }
        for (m, values) in all { samples[m] = DurationSample(values, removing: removed[m] ?? []) }
    }

    func count(_ m: ReportMetric) -> Int { counts[m] ?? 0 }

    func values(_ m: ReportMetric) -> [Int] { sample(m).sorted }

    func sample(_ m: ReportMetric) -> DurationSample { samples[m] ?? DurationSample([]) }
}
