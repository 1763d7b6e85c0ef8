import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// Numbers a shop drives to zero (the room where reports grow).
struct StatsController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stats/unanswered", use: unanswered)
        group.get("stats/csat", use: csat)
    }

    struct UnansweredOut: Encodable {
        let total: Int
        let byChannel: [String: Int]
    }

    func unanswered(_ request: Request, context: AppRequestContext) async throws -> Response {
        let counts = try await app.store.conversations.unansweredCounts()
        var byChannel: [String: Int] = [:]
        for k in ChannelKind.allCases { byChannel[k.rawValue] = counts[k] ?? 0 }
        return try context.json(UnansweredOut(total: counts.values.reduce(0, +), byChannel: byChannel), request)
    }

    /// Satisfaction over the last `days` (28 unless said): surveys sent and answered, the
    /// distribution of ratings, CSAT as the share of 4s and 5s, per agent who resolved.
    func csat(_ request: Request, context: AppRequestContext) async throws -> Response {
        let days = request.uri.queryParameters.get("days", as: Int.self).map { min(max($0, 1), 366) } ?? 28
        let summary = try await app.store.surveys.summary(since: app.clock.now.addingTimeInterval(-Double(days) * 86_400))
        struct Agent: Encodable {
            let userId: ID
            let answered: Int
            let score: Double
        }
        struct Out: Encodable {
            let days: Int
            let sent: Int
            let answered: Int
            let responseRate: Double?
            let score: Double?
            let distribution: [Int]
            let byAgent: [Agent]
        }
        return try context.json(
            Out(
                days: days, sent: summary.sent, answered: summary.answered, responseRate: summary.responseRate, score: summary.score,
                distribution: summary.distribution,
                byAgent: summary.byAgent.map { Agent(userId: $0.userId, answered: $0.answered, score: Double($0.satisfied) / Double($0.answered)) }),
            request)
    }
}
