import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgresNIO connection pool. `run()` must be running (the server runs it as a service).
public final class PostgresBackend: Sendable {
    public let client: PostgresClient
    private let runTask: Task<Void, Never>
    let logger: Logger

    init(url: String, logger: Logger, maxConnections: Int) throws {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw DatabaseError("cannot read the PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        var config = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.user ?? "postgres", password: components.password,
            database: components.path.isEmpty ? nil : String(components.path.dropFirst()),
            tls: .disable)
        config.options.maximumConnections = maxConnections
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool lives as long as this backend; shutdown() cancels it.
        self.runTask = Task { await client.run() }
    }

    func waitUntilReady() async throws {
        try await withConnection { db in try await exec(db, "SELECT 1") }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { conn in try await body(conn.sql(queryLogLevel: nil)) }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { conn in
            let db = conn.sql(queryLogLevel: nil)
            try await exec(db, "BEGIN")
            do {
                let result = try await body(db)
                try await exec(db, "COMMIT")
                return result
            } catch {
                try? await exec(db, "ROLLBACK")
                throw error
            }
        }
    }

    /// Sends a notification to every instance listening on `channel`.
    public func notify(channel: String, payload: String) async throws {
        try await withConnection { db in
            try await db.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        }
    }

    func shutdown() { runTask.cancel() }
}
