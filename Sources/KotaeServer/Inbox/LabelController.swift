import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// The shop's label catalog: every agent reads it; admins change it.
struct LabelController {
    let app: AppServices

    func addRoutes(to api: APIRouteGroups) {
        api.signedIn.get("labels", use: list)
        api.admin.post("labels", use: create)
        api.admin.patch("labels/:id", use: update)
        api.admin.delete("labels/:id", use: delete)
    }

    struct Input: Decodable { let name: String?; let color: String?; let description: String? }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try context.json(["labels": try await app.store.labels()], request)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: Input.self, context: context)
        let label = try await app.store.createLabel(
            name: (input.name ?? "").trimmingCharacters(in: .whitespaces),
            color: input.color ?? "#5f6368", description: input.description ?? "")
        return try context.json(label, request, status: .created)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: Input.self, context: context)
        return try context.json(
            try await app.store.updateLabel(
                id: try context.parameters.require("id", as: Int64.self),
                name: input.name?.trimmingCharacters(in: .whitespaces), color: input.color, description: input.description), request)
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await app.store.deleteLabel(id: try context.parameters.require("id", as: Int64.self))
        return Response(status: .noContent)
    }
}
