import Foundation
import KotaeCore
import Logging
import SQLKit

/// One writer connection (group-committed, see `GroupCommit`) and a few reader connections,
/// on a WAL file. Each connection has its own thread (see `SQLiteThread`).
final class SQLiteBackend: Sendable {
    let path: String
    private let writer: ThreadedSQLiteConnection
    private let readers: [ThreadedSQLiteConnection]
    private let writeLock: AsyncMutex
    private let committer: GroupCommit
    private let checkpointer: Checkpointer
    private let nextReader = Locked(0)
    private let logger: Logger

    private init(
        path: String, writer: ThreadedSQLiteConnection, writeLock lock: AsyncMutex, readers: [ThreadedSQLiteConnection],
        checkpointer: Checkpointer, logger: Logger
    ) {
        self.path = path
        self.writer = writer
        self.checkpointer = checkpointer
        self.writeLock = lock
        let searchIndex = DeferredSearchIndex()
        self.committer = GroupCommit(
            connection: writer, logger: logger, lock: lock, traffic: TrafficTally(),
            beforeCommit: { db in try await searchIndex.indexNewMessages(db) })
        self.readers = readers
        self.logger = logger
    }

    static func open(path: String, logger: Logger, readerCount: Int = 3) async throws -> SQLiteBackend {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // WAL: readers never wait for the writer. NORMAL: a commit survives a crash of the
        // process (SIGKILL); only a power loss can take the last transactions. Checkpoints
        // are the Checkpointer's job, off the writer's path; it also starts the WAL over once
        // it passes 32 MB, and a WAL file left larger is cut back to 64 MB.
        let writer = try await ThreadedSQLiteConnection.open(
            path: path,
            pragmas: [
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000",
                "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-8000",
                "PRAGMA wal_autocheckpoint=0", "PRAGMA journal_size_limit=67108864",
            ],
            name: "kotae-sqlite-writer")
        var readers: [ThreadedSQLiteConnection] = []
        do {
            for i in 0..<readerCount {
                readers.append(
                    try await ThreadedSQLiteConnection.open(
                        path: path,
                        pragmas: ["PRAGMA busy_timeout=10000", "PRAGMA query_only=ON", "PRAGMA cache_size=-8000"],
                        name: "kotae-sqlite-reader-\(i)"))
            }
            // A short busy timeout: its RESTART checkpoint holds the writer while it waits for readers.
            let checkpoints = try await ThreadedSQLiteConnection.open(
                path: path, pragmas: ["PRAGMA busy_timeout=100"], name: "kotae-sqlite-checkpoint")
            let writeLock = AsyncMutex()
            return SQLiteBackend(
                path: path, writer: writer, writeLock: writeLock, readers: readers,
                checkpointer: Checkpointer(connection: checkpoints, writeLock: writeLock, logger: logger), logger: logger)
        } catch {
            for r in readers { await r.close() }
            await writer.close()
            throw error
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await committer.submit(body)
    }

    /// Runs on the writer connection without BEGIN (VACUUM cannot run in a transaction).
    func outsideTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            let db = writer.sql(logger: logger)
            return try await writer.onThread { try await body(db) }
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let reader = readers[
            nextReader.withLock {
                $0 &+= 1; return $0 & Int.max
            } % readers.count]
        let db = reader.sql(logger: logger)
        return try await reader.onThread { try await body(db) }
    }

    func close() async {
        await checkpointer.stop()
        for r in readers { await r.close() }
        await writer.close()
    }
}
