import Foundation
import KotaeCore
import SQLKit

extension KotaeStore {
    static let labelColumns = "id, name, color, description"

    static func label(_ r: any SQLRow) throws -> Label {
        Label(id: try r.int("id"), name: try r.string("name"), color: try r.string("color"), description: try r.string("description"))
    }

    /// Checks a label's fields the same way for the catalog and for conversations.
    public static func validateLabel(name: String, color: String? = nil) throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 64 || name.contains(",") {
            throw StoreError.invalid("name: a label is 1…64 characters without commas")
        }
        if let color, !(color.count == 7 && color.first == "#" && color.dropFirst().allSatisfy(\.isHexDigit)) {
            throw StoreError.invalid("color: a color is #rrggbb")
        }
    }

    public func labels() async throws -> [Label] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.labelColumns) FROM labels ORDER BY name").all().map(Self.label)
        }
    }

    public func createLabel(name: String, color: String, description: String) async throws -> Label {
        try Self.validateLabel(name: name, color: color)
        return try await db.write { db in
            if try await db.raw("SELECT id FROM labels WHERE name = \(bind: name)").first() != nil {
                throw StoreError.conflict("a label named \(name) exists")
            }
            return try Self.label(
                try await db.raw(
                    """
                    INSERT INTO labels (name, color, description, created_at) VALUES (\(bind: name), \(bind: color), \(bind: description), \(bind: Date().epoch))
                    RETURNING \(unsafeRaw: Self.labelColumns)
                    """
                ).first()!)
        }
    }

    /// Renaming a label renames it on every conversation that carries it, in the same transaction.
    public func updateLabel(id: ID, name: String?, color: String?, description: String?) async throws -> Label {
        return try await db.write { db in
            guard var label = try await db.raw("SELECT \(unsafeRaw: Self.labelColumns) FROM labels WHERE id = \(bind: id)").first().map(Self.label)
            else {
                throw StoreError.notFound("label")
            }
            let oldName = label.name
            if let name { label.name = name }
            if let color { label.color = color }
            if let description { label.description = description }
            try Self.validateLabel(name: label.name, color: label.color)
            if label.name != oldName {
                if try await db.raw("SELECT id FROM labels WHERE name = \(bind: label.name)").first() != nil {
                    throw StoreError.conflict("a label named \(label.name) exists")
                }
                // A conversation carrying both names keeps one.
                try await db.raw(
                    """
                    DELETE FROM conversation_labels WHERE label = \(bind: oldName) AND conversation_id IN
                      (SELECT conversation_id FROM conversation_labels WHERE label = \(bind: label.name))
                    """
                ).run()
                try await db.raw("UPDATE conversation_labels SET label = \(bind: label.name) WHERE label = \(bind: oldName)").run()
            }
            try await db.raw(
                """
                UPDATE labels SET name = \(bind: label.name), color = \(bind: label.color), description = \(bind: label.description)
                WHERE id = \(bind: id)
                """
            ).run()
            return label
        }
    }

    /// Removes a label from the catalog and from every conversation: a label nobody can pick
    /// or filter by any more should not linger on conversations either.
    public func deleteLabel(id: ID) async throws {
        try await db.write { db in
            guard let label = try await db.raw("SELECT \(unsafeRaw: Self.labelColumns) FROM labels WHERE id = \(bind: id)").first().map(Self.label)
            else {
                throw StoreError.notFound("label")
            }
            try await db.raw("DELETE FROM conversation_labels WHERE label = \(bind: label.name)").run()
            try await db.raw("DELETE FROM labels WHERE id = \(bind: id)").run()
        }
    }

    /// A label put on a conversation joins the catalog if it is new there.
    static func ensureLabel(_ db: any SQLDatabase, _ name: String) async throws {
        try await db.raw(
            """
            INSERT INTO labels (name, color, description, created_at) VALUES (\(bind: name), '#5f6368', '', \(bind: Date().epoch))
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
    }
}
