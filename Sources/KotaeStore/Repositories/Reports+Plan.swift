import Foundation
import KotaeCore
import SQLKit

/// Which rollup rows answer a report. Every fact is counted per inbox, agent, team and label,
/// and per pair of those people dimensions (agent × team, agent × label, team × label), each
/// row also per inbox: so an inbox or channel narrows any of them, one or two of agent, team
/// and label narrow their own rows, and a table keyed by one of them beside a filter on
/// another reads the pair's rows. Only all three at once needs the fact rows.
extension Reports {
    /// A rollup row's `dimension`: one dimension, or a pair (its id is `pair(first, second)`).
    enum RollupKind: String {
        case inbox, agent, team, label
        case agentTeam = "agent_team", agentLabel = "agent_label", teamLabel = "team_label"

        init(_ d: ReportDimension) {
            switch d {
            case .inbox: self = .inbox
            case .agent: self = .agent
            case .team: self = .team
            case .label: self = .label
            }
        }

        /// The pair of two people dimensions given in the order agent, team, label.
        static func pair(_ a: ReportDimension, _ b: ReportDimension) -> RollupKind? {
            switch (a, b) {
            case (.agent, .team): .agentTeam
            case (.agent, .label): .agentLabel
            case (.team, .label): .teamLabel
            default: nil
            }
        }
    }

    /// A pair's id: both ids in one (ids stay far below 2^32).
    static func pair(_ first: ID, _ second: ID) -> ID { first << 32 | second }

    /// The rows and keys that answer: `kind`'s rows whose id meets `ids`, keyed by `key` (an SQL
    /// expression over the row, nil when not keyed).
    struct RollupPlan {
        enum Ids {
            case all, exact(ID), firstIs(ID), secondIs(ID)
        }
        let kind: RollupKind
        let ids: Ids
        let key: String?

        /// ` AND …` narrowing `report_rollups` to the plan's rows.
        var condition: SQLQueryString {
            var s = SQLQueryString(" AND dimension = \(bind: kind.rawValue)")
            switch ids {
            case .all: break
            case .exact(let id): s.appendInterpolation(" AND dimension_id = \(bind: id)" as SQLQueryString)
            case .firstIs(let id): s.appendInterpolation(" AND dimension_id / 4294967296 = \(bind: id)" as SQLQueryString)
            case .secondIs(let id): s.appendInterpolation(" AND dimension_id % 4294967296 = \(bind: id)" as SQLQueryString)
            }
            return s
        }
    }

    /// Nil when the rollups cannot answer: agent, team and label all at once, or two of them
    /// keyed by the third.
    static func plan(filter: ReportFilter, keyedBy: ReportDimension?) -> RollupPlan? {
        let people = filter.people
        let inboxKey = keyedBy == .inbox ? "inbox_id" : nil
        switch people.count {
        case 0:
            guard let keyedBy, keyedBy != .inbox else { return RollupPlan(kind: .inbox, ids: .all, key: inboxKey) }
            return RollupPlan(kind: RollupKind(keyedBy), ids: .all, key: "dimension_id")
        case 1:
            let (d, id) = people[0]
            guard let keyedBy, keyedBy != .inbox, keyedBy != d else {
                return RollupPlan(kind: RollupKind(d), ids: .exact(id), key: keyedBy == d ? "dimension_id" : inboxKey)
            }
            let order = ReportDimension.allCases
            if order.firstIndex(of: d)! < order.firstIndex(of: keyedBy)! {
                return RollupKind.pair(d, keyedBy).map { RollupPlan(kind: $0, ids: .firstIs(id), key: "dimension_id % 4294967296") }
            }
            return RollupKind.pair(keyedBy, d).map { RollupPlan(kind: $0, ids: .secondIs(id), key: "dimension_id / 4294967296") }
        case 2:
            let (a, b) = (people[0], people[1])
            guard let kind = RollupKind.pair(a.dimension, b.dimension) else { return nil }
            let ids = RollupPlan.Ids.exact(pair(a.id, b.id))
            switch keyedBy {
            case nil, .inbox?: return RollupPlan(kind: kind, ids: ids, key: inboxKey)
            case a.dimension?: return RollupPlan(kind: kind, ids: ids, key: "dimension_id / 4294967296")
            case b.dimension?: return RollupPlan(kind: kind, ids: ids, key: "dimension_id % 4294967296")
            default: return nil
            }
        default:
            return nil
        }
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
        return out
    }
}
