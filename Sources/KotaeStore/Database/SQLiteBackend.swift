import Foundation
import KotaeCore
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit

/// One writer connection (group-committed, see `GroupCommit`) and a few reader connections, on a WAL file.
final class SQLiteBackend: Sendable {
    let path: String
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock: AsyncMutex
    private let committer: GroupCommit
    private let nextReader = ManagedAtomicCounter()
    private let logger: Logger

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection], logger: Logger) {
        self.path = path
        self.writer = writer
        let lock = AsyncMutex()
        self.writeLock = lock
        self.committer = GroupCommit(db: writer.sql(), lock: lock)
        self.readers = readers
        self.logger = logger
    }

    static func open(path: String, logger: Logger, readerCount: Int = 3) async throws -> SQLiteBackend {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        // WAL: readers never wait for the writer. NORMAL: a commit survives a crash of the
        // process (SIGKILL); only a power loss can take the last transactions.
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000",
                       "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-8000"] {
            _ = try await writer.query(pragma)
        }
        // Used by the search-index trigger and by search, so that stored text and queries fold the same way.
        try await writer.install(customFunction: Self.normalizeFunction)
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let r = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA query_only=ON", "PRAGMA cache_size=-8000"] {
                _ = try await r.query(pragma)
            }
            try await r.install(customFunction: Self.normalizeFunction)
            readers.append(r)
        }
        return SQLiteBackend(path: path, writer: writer, readers: readers, logger: logger)
    }

    /// `kotae_normalize(text)`: SearchText.normalize inside SQL.
    private static var normalizeFunction: SQLiteCustomFunction {
        SQLiteCustomFunction("kotae_normalize", argumentCount: 1, pure: true, indirect: true) { args in
            guard case .text(let s) = args.first else { return "" }
            return SearchText.normalize(s)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await committer.submit(body)
    }

    /// Runs on the writer connection without BEGIN (VACUUM cannot run in a transaction).
    func outsideTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await writeLock.lock()
        do {
            let result = try await body(writer.sql())
            await writeLock.unlock()
            return result
        } catch {
            await writeLock.unlock()
            throw error
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let r = readers[nextReader.next() % readers.count]
        return try await body(r.sql())
    }

    func close() async {
        for r in readers { try? await r.close() }
        try? await writer.close()
    }
}

/// A lock-protected counter for round-robin choice of a reader.
final class ManagedAtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value &+= 1
        return value & Int.max
    }
}
