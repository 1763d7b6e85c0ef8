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

    let url: PostgresURL

    init(url text: String, logger: Logger, maxConnections: Int) throws {
        url = try PostgresURL(text)
        let client = PostgresClient(configuration: try url.clientConfiguration(maxConnections: maxConnections), backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool lives as long as this backend; shutdown() cancels it.
        self.runTask = Task { await client.run() }
    }

    /// Connects once, so a wrong password or certificate is told at start, in words.
    func waitUntilReady() async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            shutdown()
            throw url.explain(error)
        }
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
