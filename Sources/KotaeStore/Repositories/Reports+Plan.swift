import Foundation
import KotaeCore
import SQLKit

/// Which rollup rows answer a report. Every fact is counted per inbox, agent, team and label,
/// per pair of those people dimensions (agent × team, agent × label, team × label) and per
/// triple (agent × team × label), each row also per inbox: so an inbox or channel narrows any
/// of them, one, two or three of agent, team and label narrow their own rows, and a table
/// keyed by one of them beside a filter on the others reads the rows that hold them all.
extension Reports {
    /// A rollup row's `dimension`: one dimension, a pair or the triple (their ids packed into
    /// one: `pair`, `triple`).
    enum RollupKind: String {
        case inbox, agent, team, label
        case agentTeam = "agent_team", agentLabel = "agent_label", teamLabel = "team_label"
        case agentTeamLabel = "agent_team_label"

        init(_ d: ReportDimension) {
            switch d {
            case .inbox: self = .inbox
            case .agent: self = .agent
            case .team: self = .team
            case .label: self = .label
            }
        }

        /// The pair of two people dimensions given in the order agent, team, label.
        static func pair(_ a: ReportDimension, _ b: ReportDimension) -> RollupKind {
            switch (a, b) {
            case (.agent, .team): .agentTeam
            case (.agent, .label): .agentLabel
            default: .teamLabel
            }
        }
    }

    /// A pair's id: both ids in one (ids stay far below 2^32).
    static func pair(_ first: ID, _ second: ID) -> ID { first << 32 | second }

    /// The triple's id: agent, team and label, 21 bits each (people, teams and labels stay far
    /// below two million).
    static func triple(_ agent: ID, _ team: ID, _ label: ID) -> ID { agent << 42 | team << 21 | label }

    /// SQL reading one person's id out of a pair's or the triple's `dimension_id`.
    static func part(_ kind: RollupKind, _ d: ReportDimension) -> String {
        switch (kind, d) {
        case (.agentTeamLabel, .agent): "dimension_id / 4398046511104"
        case (.agentTeamLabel, .team): "(dimension_id / 2097152) % 2097152"
        case (.agentTeamLabel, .label): "dimension_id % 2097152"
        case (.agentTeam, .agent), (.agentLabel, .agent), (.teamLabel, .team): "dimension_id / 4294967296"
        case (.agentTeam, .team), (.agentLabel, .label), (.teamLabel, .label): "dimension_id % 4294967296"
        default: "dimension_id"
        }
    }

    /// The rows and keys that answer: `kind`'s rows whose people are those of the filter,
    /// keyed by `key` (an SQL expression over the row, nil when not keyed).
    struct RollupPlan {
        let kind: RollupKind
        let people: [(dimension: ReportDimension, id: ID)]
        let key: String?

        /// ` AND …` narrowing `report_rollups` to the plan's rows: the whole id when the filter
        /// names every person the kind holds, else each named person's part of it.
        var condition: SQLQueryString {
            var s = SQLQueryString(" AND dimension = \(bind: kind.rawValue)")
            let holds: Int =
                switch kind {
                case .inbox: 0
                case .agent, .team, .label: 1
                case .agentTeam, .agentLabel, .teamLabel: 2
                case .agentTeamLabel: 3
                }
            if holds > 0, people.count == holds {
                let ids = people.map(\.id)
                let whole = holds == 1 ? ids[0] : holds == 2 ? pair(ids[0], ids[1]) : triple(ids[0], ids[1], ids[2])
                s.appendInterpolation(" AND dimension_id = \(bind: whole)" as SQLQueryString)
            } else {
                for p in people { s.appendInterpolation(" AND \(unsafeRaw: part(kind, p.dimension)) = \(bind: p.id)" as SQLQueryString) }
            }
            return s
        }
    }

    /// The rows that answer `filter` keyed by `keyedBy`: the kind holding every person named
    /// and the key's dimension.
    static func plan(filter: ReportFilter, keyedBy: ReportDimension?) -> RollupPlan {
        let people = filter.people
        let personKey = keyedBy.flatMap { $0 == .inbox ? nil : $0 }
        var held = Set(people.map(\.dimension))
        if let personKey { held.insert(personKey) }
        let order = ReportDimension.allCases.filter { held.contains($0) && $0 != .inbox }
        let kind: RollupKind =
            switch order.count {
            case 0: .inbox
            case 1: RollupKind(order[0])
            case 2: RollupKind.pair(order[0], order[1])
            default: .agentTeamLabel
            }
        let key = keyedBy == .inbox ? "inbox_id" : personKey.map { part(kind, $0) }
        return RollupPlan(kind: kind, people: people, key: key)
    }

    /// Every rollup row one fact counts in.
    static func dimensions(inbox: ID, agent: ID?, team: ID?, labels: [ID]) -> [(RollupKind, ID)] {
        var out: [(RollupKind, ID)] = [(.inbox, inbox)]
        if let agent { out.append((.agent, agent)) }
        if let team { out.append((.team, team)) }
        out += labels.map { (.label, $0) }
        if let agent, let team { out.append((.agentTeam, pair(agent, team))) }
        if let agent { out += labels.map { (.agentLabel, pair(agent, $0)) } }
        if let team { out += labels.map { (.teamLabel, pair(team, $0)) } }
        if let agent, let team { out += labels.map { (.agentTeamLabel, triple(agent, team, $0)) } }
        return out
    }
}
