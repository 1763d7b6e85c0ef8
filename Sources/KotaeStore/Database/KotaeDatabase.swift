import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import SQLKit

/// Which SQL the store speaks. The only place dialects differ is inside KotaeStore.
public enum SQLDialectKind: String, Sendable {
    case sqlite
    case postgres
}

extension SQLDatabase {
    /// Which of the two databases a transaction runs on (SQLKit names its dialect).
    var kind: SQLDialectKind { dialect.name == "postgresql" ? .postgres : .sqlite }
}

public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The database Kotae runs on: an embedded SQLite file (default) or PostgreSQL.
/// `write` runs a closure in one transaction; `read` runs it on a reader.
public final class KotaeDatabase: Sendable {
    public let dialect: SQLDialectKind
    let backend: Backend
    public let logger: Logger

    enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    /// Opens `sqlite:PATH`, a bare path, or `postgres://user:pass@host:port/db`.
    /// `maxConnections` sizes the PostgreSQL pool (SQLite has one writer and a few readers).
    public static func open(url: String, logger: Logger, maxConnections: Int = 16) async throws -> KotaeDatabase {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let backend = try PostgresBackend(url: url, logger: logger, maxConnections: maxConnections)
            let db = KotaeDatabase(dialect: .postgres, backend: .postgres(backend), logger: logger)
            try await backend.waitUntilReady()
            return db
        }
        let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
        let backend = try await SQLiteBackend.open(path: path, logger: logger)
        return KotaeDatabase(dialect: .sqlite, backend: .sqlite(backend), logger: logger)
    }

    init(dialect: SQLDialectKind, backend: Backend, logger: Logger) {
        self.dialect = dialect
        self.backend = backend
        self.logger = logger
    }

    /// Runs `body` in one transaction: all of it is committed, or none of it.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let b): try await b.write(body)
        case .postgres(let b): try await b.transaction(body)
        }
    }

    /// Runs read-only queries; never blocked by a writer.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let b): try await b.read(body)
        case .postgres(let b): try await b.withConnection(body)
        }
    }

    public func close() async {
        switch backend {
        case .sqlite(let b): await b.close()
        case .postgres(let b): b.shutdown()
        }
    }

    /// The PostgreSQL backend, for LISTEN/NOTIFY; nil on SQLite.
    public var postgres: PostgresBackend? {
        if case .postgres(let b) = backend { return b }
        return nil
    }

    public var sqlitePath: String? {
        if case .sqlite(let b) = backend { return b.path }
        return nil
    }
}

/// Runs a statement with the transaction keywords both dialects share.
func exec(_ db: any SQLDatabase, _ sql: String) async throws {
    try await db.raw(SQLQueryString(sql)).run()
}
