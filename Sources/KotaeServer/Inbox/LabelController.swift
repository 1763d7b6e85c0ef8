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
        return try JSONOut.response(["labels": try await app.store.labels()])
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await app.body.decode(Input.self, from: request)
        let label = try await app.store.createLabel(
            name: (input.name ?? "").trimmingCharacters(in: .whitespaces),
            color: input.color ?? "#5f6368", description: input.description ?? "")
        return try JSONOut.response(label, status: .created)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await app.body.decode(Input.self, from: request)
        return try JSONOut.response(
            try await app.store.updateLabel(
                id: try context.parameters.require("id", as: Int64.self),
                name: input.name?.trimmingCharacters(in: .whitespaces), color: input.color, description: input.description))
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await app.store.deleteLabel(id: try context.parameters.require("id", as: Int64.self))
        return Response(status: .noContent)
    }
}
