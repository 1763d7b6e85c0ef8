import Foundation
import KotaeCore
import KotaeStore
import Logging

/// A fresh, empty database for one test: a temporary SQLite file, or — when
/// `KOTAE_TEST_POSTGRES_URL` points at a PostgreSQL server — a new database on it.
public struct TestDatabase: Sendable {
    public let dataDirectory: String
    /// nil = SQLite in `dataDirectory`.
    public let url: String?

    public static var postgresAdminURL: String? {
        ProcessInfo.processInfo.environment["KOTAE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isPostgres: Bool { postgresAdminURL != nil }

    public static func make() async throws -> TestDatabase {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard let admin = postgresAdminURL else { return TestDatabase(dataDirectory: dir, url: nil) }
        let name = "kotae_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let db = try await KotaeDatabase.open(url: admin, logger: Logger(label: "test"), maxConnections: 1)
        try await db.read { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        await db.close()
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        return TestDatabase(dataDirectory: dir, url: components.string!)
    }

    /// The URL `KotaeDatabase.open` takes.
    public var effectiveURL: String { url ?? "sqlite:" + dataDirectory + "/kotae.sqlite" }

    public func openStore() async throws -> KotaeStore {
        let db = try await KotaeDatabase.open(url: effectiveURL, logger: Logger(label: "test"), maxConnections: 4)
        try await db.migrate()
        return KotaeStore(db: db, secrets: SecretBox(secret: "test-secret"))
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
