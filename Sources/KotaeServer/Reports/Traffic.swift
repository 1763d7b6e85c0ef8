import Foundation
import KotaeCore
import KotaeStore

/// A period's hourly traffic read in the shop's time zone: messages and new conversations per
/// group, where backlog and waiting customers stood at the end of each group, and the
/// weekday × hour heatmap of incoming messages.
struct Traffic {
    let zone: TimeZone
    let hours: [TrafficHour]
    let unansweredBefore: Int
    let backlogBefore: Int

    static func read(_ store: KotaeStore, period: ReportPeriod, zone: TimeZone, inboxIds: [ID]?) async throws -> Traffic {
        let from = Int(period.from.start(in: zone).timeIntervalSince1970 / 3600)
        let to = Int(period.to.adding(days: 1).start(in: zone).timeIntervalSince1970 / 3600)
        let t = try await store.reports.traffic(fromHour: from, toHour: to, inboxIds: inboxIds)
        return Traffic(zone: zone, hours: t.hours, unansweredBefore: t.unansweredBefore, backlogBefore: t.backlogBefore)
    }

    var incoming: Int { hours.reduce(0) { $0 + $1.incoming } }
    var created: Int { hours.reduce(0) { $0 + $1.created } }

    private func day(_ h: TrafficHour) -> LocalDate { LocalDate(of: Date(timeIntervalSince1970: Double(h.hour) * 3600), in: zone) }

    func groupSums(_ period: ReportPeriod, _ groups: [LocalDate]) -> [(incoming: Int, created: Int)] {
        var out = Array(repeating: (incoming: 0, created: 0), count: groups.count)
        let groupOf = period.groupIndexByDay
        for h in hours {
            let i = min(groupOf[day(h).dayNumber] ?? 0, groups.count - 1)
            out[i].incoming += h.incoming
            out[i].created += h.created
        }
        return out
    }

    /// Unresolved conversations and waiting customers at the end of each group.
    func backlog(_ period: ReportPeriod, _ groups: [LocalDate]) -> [ReportData.BacklogRow] {
        var deltas = Array(repeating: (backlog: 0, unanswered: 0), count: groups.count)
        let groupOf = period.groupIndexByDay
        for h in hours {
            let i = min(groupOf[day(h).dayNumber] ?? 0, groups.count - 1)
            deltas[i].backlog += h.backlog
            deltas[i].unanswered += h.unanswered
        }
        var backlog = backlogBefore, unanswered = unansweredBefore
        return groups.indices.map { i in
            backlog += deltas[i].backlog
            unanswered += deltas[i].unanswered
            let end = i + 1 < groups.count ? groups[i + 1].adding(days: -1) : period.to
            return ReportData.BacklogRow(end: end.description, unresolved: backlog, unanswered: unanswered)
        }
    }

    /// Incoming messages by ISO weekday (row 0 is Monday) and local hour.
    var heatmap: [[Int]] {
        var grid = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for h in hours where h.incoming > 0 {
            let instant = Date(timeIntervalSince1970: Double(h.hour) * 3600)
            let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
            let hourOfDay = Int((local / 3600).rounded(.down)) % 24
            grid[day(h).isoWeekday - 1][(hourOfDay + 24) % 24] += h.incoming
        }
        return grid
    }
}
