import Foundation
import KotaeCore
import SQLKit

/// A year of report data for `kotae bench --only reports`: the facts, daily rollups and hourly
/// traffic that `Reports.record` would have written for `conversations` conversations, made in
/// bulk (the recording path is measured by the ingest bench). Seeded, so every run has the same data.
public enum ReportBenchData {
    public struct Shape: Sendable {
        public init(inboxes: [Inbox], agents: [ID], teams: [ID], labels: [ID]) {
            self.inboxes = inboxes
            self.agents = agents
            self.teams = teams
            self.labels = labels
        }
        public let inboxes: [Inbox]
        public let agents: [ID]
        public let teams: [ID]
        public let labels: [ID]
    }

    /// Seeded, so every generated year is the same.
    struct Random {
        var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        mutating func below(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        /// Log-normal around `median` seconds.
        mutating func duration(median: Double, spread: Double = 1.3) -> Double {
            let u1 = max(unit(), 1e-12), u2 = unit()
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            return min((median * exp(spread * normal)).rounded(), 30 * 86_400)
        }
    }

    /// Writes the year that ends the day before `end` (in Tokyo).
    public static func generate(
        store: KotaeStore, shape: Shape, conversations: Int, end: LocalDate, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let zone = TimeZone(identifier: Reports.defaultTimeZone)!
        let start = end.adding(days: -365).start(in: zone).timeIntervalSince1970
        var random = Random(state: 2026)
        var rollups: [Reports.RollupKey: Reports.RollupValues] = [:]
        var traffic: [Int64: (incoming: Int, created: Int, unanswered: Int, backlog: Int)] = [:]
        var events: [[any Encodable & Sendable]] = []
        let hourWeights: [Double] = (0..<24).map { h in (9...22).contains(h) ? 3 : 1 }
        let weightSum = hourWeights.reduce(0, +)
        var conversationId: ID = 0

        func trafficAt(_ t: Double, _ inbox: ID, incoming: Int = 0, created: Int = 0, unanswered: Int = 0, backlog: Int = 0) {
            let key = Int64((t / 3600).rounded(.down)) * 1000 + inbox
            var v = traffic[key] ?? (0, 0, 0, 0)
            v.incoming += incoming
            v.created += created
            v.unanswered += unanswered
            v.backlog += backlog
            traffic[key] = v
        }

        var written = 0
        while written < conversations {
            let batch = min(20_000, conversations - written)
            for _ in 0..<batch {
                conversationId += 1
                let pick = random.unit()
                let inbox = shape.inboxes[pick < 0.4 ? 0 : pick < 0.65 ? 1 : pick < 0.85 ? 2 : 3]
                let hours = inbox.slaPolicy.businessHours
                let agent = shape.agents[random.below(shape.agents.count)]
                let team = shape.teams[Int(agent) % shape.teams.count]
                var labels: [ID] = []
                for _ in 0..<random.below(3) {
                    let l = shape.labels[random.below(shape.labels.count)]
                    if !labels.contains(l) { labels.append(l) }
                }
                labels.sort()
                var r = random.unit() * weightSum, hour = 0
                while hour < 23, r >= hourWeights[hour] {
                    r -= hourWeights[hour]
                    hour += 1
                }
                let created = start + Double(random.below(365)) * 86_400 + Double(hour) * 3600 + Double(random.below(3600))
                let target = inbox.slaPolicy.firstResponse
                let labelText = labels.isEmpty ? "" : labels.map { ",\($0)" }.joined() + ","

                func fact(_ metric: ReportMetric, start s: Double, end e: Double, agent a: ID?, value: Double? = nil) {
                    let day = LocalDate(of: Date(timeIntervalSince1970: e), in: zone).dayNumber
                    var seconds: Double?, business: Double?
                    if let value {
                        seconds = value
                        business = value
                    } else if metric.hasValue {
                        seconds = e - s
                        business = hours.map { $0.duration(from: Date(timeIntervalSince1970: s), to: Date(timeIntervalSince1970: e)) } ?? (e - s)
                    }
                    events.append([
                        conversationId, metric.rawValue, e, Int64(day), inbox.id, a, team, labelText, seconds, business, hours == nil ? nil : "bench",
                    ])
                    for (d, id) in Reports.dimensions(inbox: inbox.id, agent: a, team: team, labels: labels) {
                        for key in Reports.RollupKey.spans(d, metric, day: day, id: id, inbox: inbox.id) {
                            rollups[key, default: Reports.RollupValues()].add(seconds: seconds, business: business)
                        }
                    }
                }

                trafficAt(created, inbox.id, incoming: 1, created: 1, unanswered: 1, backlog: 1)
                if inbox.channel == .chat, random.unit() < 0.2 {
                    fact(.botHandOff, start: created, end: created + 60, agent: nil)
                }
                let waits = 1 + random.below(3)
                var t = created, waitStart = created
                for w in 0..<waits {
                    let wait = random.duration(median: w == 0 ? (inbox.channel == .chat ? 600 : 3600) : 1800)
                    t = waitStart + wait
                    fact(.replyWait, start: waitStart, end: t, agent: agent)
                    if w == 0 {
                        fact(.firstResponse, start: waitStart, end: t, agent: agent)
                        if wait > target {
                            fact(.firstResponseBreached, start: t, end: t, agent: agent)
                            fact(.replyWaitBreached, start: t, end: t, agent: agent)
                        }
                    }
                    trafficAt(t, inbox.id, unanswered: -1)
                    if w + 1 < waits {
                        waitStart = t + random.duration(median: 900)
                        trafficAt(waitStart, inbox.id, incoming: 1, unanswered: 1)
                    }
                }
                let resolved = t + random.duration(median: 3600)
                let reopened = random.unit() < 0.1
                fact(.firstResolution, start: created, end: resolved, agent: agent)
                trafficAt(resolved, inbox.id, backlog: -1)
                var final = resolved
                if reopened {
                    let back = resolved + random.duration(median: 2 * 86_400)
                    fact(.reopen, start: back, end: back, agent: agent)
                    trafficAt(back, inbox.id, incoming: 1, unanswered: 1, backlog: 1)
                    let answer = back + random.duration(median: 3600)
                    fact(.replyWait, start: back, end: answer, agent: agent)
                    fact(.firstResponse, start: back, end: answer, agent: agent)
                    trafficAt(answer, inbox.id, unanswered: -1)
                    final = answer + random.duration(median: 1800)
                    trafficAt(final, inbox.id, backlog: -1)
                }
                fact(.resolution, start: created, end: final, agent: agent)
                if waits == 1, !reopened { fact(.oneTouch, start: final, end: final, agent: agent) }
                if random.unit() < 0.3 {
                    let sent = final + 3600
                    fact(.csatSent, start: sent, end: sent, agent: agent)
                    if random.unit() < 0.6 {
                        let rating = [5, 5, 5, 4, 4, 3, 2, 1][random.below(8)]
                        fact(.csat, start: sent, end: sent + 600, agent: agent, value: Double(rating))
                    }
                }
            }
            written += batch
            let rows = events
            events = []
            try await insertEvents(store, rows)
            progress(written)
        }
        let all = Array(rollups)
        for chunk in stride(from: 0, to: all.count, by: 5000) {
            let part = Dictionary(uniqueKeysWithValues: all[chunk..<min(chunk + 5000, all.count)].map { ($0.key, $0.value) })
            try await store.db.write { db in try await Reports.insertRollups(db, part) }
        }
        try await insertTraffic(store, traffic)
    }

    static func insertEvents(_ store: KotaeStore, _ rows: [[any Encodable & Sendable]]) async throws {
        try await store.db.write { db in
            try await Reports.insertRows(
                db,
                "report_events (conversation_id, metric, at, day, inbox_id, agent_id, team_id, labels, seconds, business_seconds, schedule)",
                rows, chunk: 500)
        }
    }

    static func insertTraffic(_ store: KotaeStore, _ traffic: [Int64: (incoming: Int, created: Int, unanswered: Int, backlog: Int)]) async throws {
        let rows: [[any Encodable & Sendable]] = traffic.map { k, v in
            [k / 1000, k % 1000, Int64(v.incoming), Int64(v.created), Int64(v.unanswered), Int64(v.backlog)]
        }
        try await store.db.write { db in
            try await Reports.insertRows(db, "report_traffic (hour, inbox_id, incoming, created, unanswered, backlog)", rows, chunk: 500)
        }
    }
}
