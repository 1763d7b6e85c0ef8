import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// Numbers a shop drives to zero (the room where reports grow).
struct StatsController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("stats/unanswered", use: unanswered)
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
}
