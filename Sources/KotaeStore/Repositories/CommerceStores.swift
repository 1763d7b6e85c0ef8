import Foundation
import KotaeCore
import SQLKit

/// Connected shop systems, their settings and sealed credentials (like an inbox's, never
/// shown again once saved).
public struct CommerceStores: Sendable {
    let db: KotaeDatabase
    let secrets: SecretBox

    static let columns = "id, platform, name, settings, credentials, problem, created_at"

    static func store(_ r: any SQLRow) throws -> CommerceStore {
        CommerceStore(
            id: try r.int("id"), platform: try r.enumValue("platform", CommercePlatform.self), name: try r.string("name"),
            settings: try JSON.decode([String: String].self, try r.string("settings")),
            hasCredentials: try r.stringOpt("credentials") != nil, problem: try r.stringOpt("problem"), createdAt: try r.date("created_at"))
    }

    public func create(
        platform: CommercePlatform, name: String, settings: [String: String] = [:], credentials: [String: String]? = nil, now: Date = Date()
    ) async throws -> CommerceStore {
        let sealed = try credentials.map { try secrets.seal(JSON.string($0)) }
        return try await db.write { db in
            try Self.store(
                try await db.raw(
                    """
                    INSERT INTO commerce_stores (platform, name, settings, credentials, created_at)
                    VALUES (\(bind: platform.rawValue), \(bind: name), \(bind: JSON.string(settings)), \(bind: sealed), \(bind: now.epoch))
                    RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()!)
        }
    }

    public func all() async throws -> [CommerceStore] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM commerce_stores ORDER BY id").all().map(Self.store)
        }
    }

    public func find(id: ID) async throws -> CommerceStore? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM commerce_stores WHERE id = \(bind: id)").first().map(Self.store)
        }
    }

    /// Decrypted credentials; only the platform's client should ask.
    public func credentials(id: ID) async throws -> [String: String] {
        let sealed = try await db.read { db in
            try await db.raw("SELECT credentials FROM commerce_stores WHERE id = \(bind: id)").first()?.stringOpt("credentials")
        }
        guard let sealed else { return [:] }
        return try JSON.decode([String: String].self, try secrets.open(sealed))
    }

    /// Merges `changes` into the stored credentials (a platform replaced a refresh token).
    public func updateCredentials(id: ID, _ changes: [String: String]) async throws {
        try await db.write { db in try await mergeCredentials(db, id: id, changes) }
    }

    /// An admin's change: a new name, the settings as they are to be, credentials merged (an
    /// empty value removes one), all in one transaction; the last problem is forgotten, to
    /// be found again if it remains.
    public func update(id: ID, name: String, settings: [String: String], credentials: [String: String]) async throws -> CommerceStore? {
        try await db.write { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE commerce_stores SET name = \(bind: name), settings = \(bind: JSON.string(settings)), problem = NULL
                    WHERE id = \(bind: id) RETURNING id
                    """
                ).first()
            else { return nil }
            if !credentials.isEmpty { try await mergeCredentials(db, id: try row.int("id"), credentials) }
            return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM commerce_stores WHERE id = \(bind: id)").first().map(Self.store)
        }
    }

    private func mergeCredentials(_ db: any SQLDatabase, id: ID, _ changes: [String: String]) async throws {
        let sealed = try await db.raw("SELECT credentials FROM commerce_stores WHERE id = \(bind: id)").first()?.stringOpt("credentials")
        var merged = try sealed.map { try JSON.decode([String: String].self, try secrets.open($0)) } ?? [:]
        for (key, value) in changes { merged[key] = value.isEmpty ? nil : value }
        try await db.raw("UPDATE commerce_stores SET credentials = \(bind: try secrets.seal(JSON.string(merged))) WHERE id = \(bind: id)").run()
    }

    /// Records (or clears, with nil) what went wrong talking to the store.
    public func setProblem(id: ID, _ problem: String?) async throws {
        try await db.write { db in
            try await db.raw("UPDATE commerce_stores SET problem = \(bind: problem) WHERE id = \(bind: id)").run()
        }
    }
}
