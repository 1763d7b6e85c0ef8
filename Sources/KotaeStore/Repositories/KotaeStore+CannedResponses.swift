import Foundation
import KotaeCore
import SQLKit

/// The shop's canned responses (shortcuts agents type in the composer).
extension KotaeStore {
    public func cannedResponses() async throws -> [CannedResponse] {
        try await db.read { db in
            try await db.raw("SELECT id, shortcut, title, body FROM canned_responses ORDER BY shortcut").all().map {
                CannedResponse(id: try $0.int("id"), shortcut: try $0.string("shortcut"), title: try $0.string("title"), body: try $0.string("body"))
            }
        }
    }

    public func createCannedResponse(shortcut: String, title: String, body: String) async throws -> CannedResponse {
        try await db.write { db in
            if try await db.raw("SELECT id FROM canned_responses WHERE shortcut = \(bind: shortcut)").first() != nil {
                throw StoreError.conflict("shortcut \(shortcut) is taken")
            }
            let id = try await db.raw(
                """
                INSERT INTO canned_responses (shortcut, title, body, created_at)
                VALUES (\(bind: shortcut), \(bind: title), \(bind: body), \(bind: Date().epoch)) RETURNING id
                """
            ).first()!.int("id")
            return CannedResponse(id: id, shortcut: shortcut, title: title, body: body)
        }
    }

    public func updateCannedResponse(id: ID, shortcut: String?, title: String?, body: String?) async throws -> CannedResponse {
        try await db.write { db in
            guard let r = try await db.raw("SELECT id, shortcut, title, body FROM canned_responses WHERE id = \(bind: id)").first() else {
                throw StoreError.notFound("canned response")
            }
            var c = CannedResponse(id: id, shortcut: try r.string("shortcut"), title: try r.string("title"), body: try r.string("body"))
            if let shortcut, shortcut != c.shortcut {
                if try await db.raw("SELECT id FROM canned_responses WHERE shortcut = \(bind: shortcut)").first() != nil {
                    throw StoreError.conflict("shortcut \(shortcut) is taken")
                }
                c.shortcut = shortcut
            }
            if let title { c.title = title }
            if let body { c.body = body }
            try await db.raw(
                """
                UPDATE canned_responses SET shortcut = \(bind: c.shortcut), title = \(bind: c.title), body = \(bind: c.body) WHERE id = \(bind: id)
                """
            ).run()
            return c
        }
    }

    public func deleteCannedResponse(id: ID) async throws {
        try await db.write { db in
            let gone = try await db.raw("DELETE FROM canned_responses WHERE id = \(bind: id) RETURNING id").all()
            if gone.isEmpty { throw StoreError.notFound("canned response") }
        }
    }
}
