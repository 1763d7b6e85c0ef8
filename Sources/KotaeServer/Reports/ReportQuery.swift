import Foundation
import KotaeCore
import KotaeStore

/// What a report is asked for: the period and its grouping, calendar or business time, and the filters.
struct ReportQuery: Sendable, Equatable {
    var period: ReportPeriod
    var preset: ReportPeriod.Preset?
    var business: Bool
    var channel: ChannelKind?
    var inboxId: ID?
    var agentId: ID?
    var teamId: ID?
    var labelId: ID?

    /// Reads `?preset=30d` or `?from=…&to=…`, `by`, `businessHours`, `channel`, `inbox`, `agent`, `team`, `label`.
    /// Problems name the parameter.
    static func read(_ p: [String: String], today: LocalDate) throws(QueryProblem) -> ReportQuery {
        let grouping: ReportPeriod.Grouping?
        if let by = p["by"], !by.isEmpty {
            guard let g = ReportPeriod.Grouping(rawValue: by) else { throw QueryProblem(field: "by", reason: "day, week or month") }
            grouping = g
        } else {
            grouping = nil
        }
        var preset: ReportPeriod.Preset?
        let period: ReportPeriod
        if let from = p["from"], !from.isEmpty {
            guard let f = LocalDate(iso: from) else { throw QueryProblem(field: "from", reason: "a date YYYY-MM-DD") }
            guard let t = LocalDate(iso: p["to"] ?? "") else { throw QueryProblem(field: "to", reason: "a date YYYY-MM-DD") }
            do {
                period = try ReportPeriod(from: f, to: t, grouping: grouping ?? ReportPeriod(.last30, today: today).grouping)
            } catch .reversed {
                throw QueryProblem(field: "to", reason: "on or after from")
            } catch {
                throw QueryProblem(field: "to", reason: "at most \(ReportPeriod.maxDays) days after from")
            }
            if grouping == nil, period.dayCount > 35 {
                return try read(p.merging(["by": period.dayCount > 120 ? "month" : "week"]) { _, b in b }, today: today)
            }
        } else {
            let name = p["preset"].flatMap { $0.isEmpty ? nil : $0 } ?? ReportPeriod.Preset.last30.rawValue
            guard let given = ReportPeriod.Preset(rawValue: name) else {
                throw QueryProblem(field: "preset", reason: ReportPeriod.Preset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            preset = given
            period = ReportPeriod(given, today: today, grouping: grouping)
        }
        func id(_ key: String) throws(QueryProblem) -> ID? {
            guard let s = p[key], !s.isEmpty else { return nil }
            guard let v = ID(s), v > 0 else { throw QueryProblem(field: key, reason: "an id") }
            return v
        }
        var channel: ChannelKind?
        if let c = p["channel"], !c.isEmpty {
            guard let k = ChannelKind(rawValue: c) else {
                throw QueryProblem(field: "channel", reason: ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            channel = k
        }
        let business = p["businessHours"].map { $0 == "true" || $0 == "1" || $0 == "on" } ?? false
        return ReportQuery(
            period: period, preset: preset, business: business, channel: channel, inboxId: try id("inbox"), agentId: try id("agent"),
            teamId: try id("team"), labelId: try id("label"))
    }

    /// The store's filter: a channel stands for its inboxes.
    func filter(inboxes: [Inbox]) -> ReportFilter {
        var ids: [ID]?
        if let channel { ids = inboxes.filter { $0.channel == channel }.map(\.id) }
        if let inboxId { ids = (ids ?? [inboxId]).filter { $0 == inboxId } }
        return ReportFilter(inboxIds: ids, agentId: agentId, teamId: teamId, labelId: labelId)
    }

    /// Traffic (messages, new conversations, backlog, the heatmap) is kept per inbox only.
    var narrowsBeyondInboxes: Bool { agentId != nil || teamId != nil || labelId != nil }

    /// The query string that asks for the same report (for links: CSV, the other time).
    func parameters(business: Bool? = nil) -> [(String, String)] {
        var out: [(String, String)] = []
        if let preset { out.append(("preset", preset.rawValue)) } else { out += [("from", period.from.description), ("to", period.to.description)] }
        out.append(("by", period.grouping.rawValue))
        if business ?? self.business { out.append(("businessHours", "true")) }
        if let channel { out.append(("channel", channel.rawValue)) }
        for (k, v) in [("inbox", inboxId), ("agent", agentId), ("team", teamId), ("label", labelId)] { if let v { out.append((k, String(v))) } }
        return out
    }

    static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    func queryString(business: Bool? = nil) -> String {
        parameters(business: business).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")" }.joined(
            separator: "&")
    }
}

struct QueryProblem: Error, Equatable {
    let field: String
    let reason: String
}
