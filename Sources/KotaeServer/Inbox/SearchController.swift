import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// `GET /api/v1/search`: messages and contacts, Japanese without spaces included.
struct SearchController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("search", use: search)
    }

    struct SearchOut: Encodable {
        let messages: [KotaeStore.MessageHit]
        let contacts: [Contact]
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let q = (try request.formQuery())["q"].map(String.init), !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.invalid("q", "q is required")
        }
        guard q.count <= 200 else { throw APIError.invalid("q", "q is at most 200 characters") }
        return try context.json(
            SearchOut(
                messages: try await app.store.searchMessages(q),
                contacts: try await app.store.contacts.list(query: q, limit: 20, afterId: nil)), request)
    }
}
