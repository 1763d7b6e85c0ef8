import Foundation
import Hummingbird
import HummingbirdAuth
import KotaeCore
import KotaeStore

/// Contacts: list and search, show with earlier conversations, edit, merge.
struct ContactController {
    let app: AppServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("contacts", use: list)
        group.get("contacts/:id", use: show)
        group.patch("contacts/:id", use: update)
        group.post("contacts/:id/merge", use: merge)
        group.post("contact-merges/:id/undo", use: undoMerge)
    }

    struct ListOut: Encodable { let contacts: [Contact]; let nextCursor: String? }

    func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let p = try request.formQuery()
        let limit = try p["limit"].map { try intParam("limit", String($0)) } ?? 50
        guard (1...200).contains(limit) else { throw APIError.invalid("limit", "limit is 1…200") }
        let after = try p["cursor"].map { try intParam("cursor", String($0)) }
        let contacts = try await app.store.contacts.list(query: p["q"].map(String.init), limit: Int(limit), afterId: after)
        return try context.json(
            ListOut(contacts: contacts, nextCursor: contacts.count == Int(limit) ? contacts.last.map { String($0.id) } : nil), request)
    }

    /// `merges`: merges into this contact that can still be undone (Kotae's own among them).
    struct DetailOut: Encodable { let contact: Contact; let conversations: [ConversationOut]; let merges: [ContactMerge] }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let contact = try await app.store.contacts.contact(id: id) else { throw APIError.notFound("contact") }
        let conversations = try await app.store.contacts.conversations(contactId: contact.mergedInto ?? id)
        let merges = try await app.store.contacts.merges(targetId: contact.mergedInto ?? id)
        return try context.json(
            DetailOut(contact: contact, conversations: conversations.map { ConversationOut($0, now: app.clock.now) }, merges: merges), request)
    }

    struct UpdateInput: Decodable { let name: String?; let email: String?; let phone: String? }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: UpdateInput.self, context: context)
        if let n = input.name, n.trimmingCharacters(in: .whitespaces).isEmpty { throw APIError.invalid("name", "name is empty") }
        if let e = input.email { try validateEmail(e) }
        return try context.json(try await app.store.contacts.update(id: id, name: input.name, email: input.email, phone: input.phone), request)
    }

    struct MergeInput: Decodable { let sourceId: Int64 }

    /// Merges `sourceId` into the contact in the path.
    func merge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decode(as: MergeInput.self, context: context)
        let merged = try await app.contacts.merge(source: input.sourceId, into: id, actor: user.id)
        return try context.json(merged, request)
    }

    struct UnmergedOut: Encodable { let source: Contact; let target: Contact }

    /// Undoes a merge (an agent's, or one Kotae made itself): each contact as it was.
    func undoMerge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let (source, target) = try await app.contacts.undoMerge(id: id, actor: user.id)
        return try context.json(UnmergedOut(source: source, target: target), request)
    }
}
