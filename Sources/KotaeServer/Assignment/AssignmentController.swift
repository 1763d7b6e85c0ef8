import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `/api/v1/assignment/agents` (admins): each agent's capacity, whether they are at their
/// desk now and how many conversations they hold open; and setting one's capacity.
struct AssignmentController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("assignment/agents", use: list)
        group.put("assignment/agents/:id", use: setCapacity)
    }

    struct AgentOut: Encodable {
        let userId: Int64
        let name: String
        let capacity: Int?
        let seenAt: Date?
        let online: Bool
        let open: Int
    }
    struct ListOut: Encodable { let agents: [AgentOut] }

    func out(_ a: Assignments.Agent) -> AgentOut {
        let online = a.seenAt.map { $0 >= app.clock.now.addingTimeInterval(-Assignments.onlineWindow) } ?? false
        return AgentOut(userId: a.userId, name: a.name, capacity: a.capacity, seenAt: a.seenAt, online: online, open: a.open)
    }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(ListOut(agents: try await app.store.assignments.agents().map(out)), request)
    }

    struct CapacityInput: Decodable { let capacity: Int? }

    func setCapacity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: CapacityInput.self, context: context)
        if let c = input.capacity, !(0...1_000).contains(c) {
            throw APIError.invalid("capacity", "0 to 1,000 open conversations, or null for no limit")
        }
        try await app.store.assignments.setCapacity(input.capacity, userId: id)
        guard let agent = try await app.store.assignments.agents().first(where: { $0.userId == id }) else { throw APIError.notFound("user") }
        return try context.json(out(agent), request)
    }
}
