import Logging
import Synchronization
import SQLKit

/// Group commit for SQLite's single writer: transactions that arrive while one batch is
/// being written are committed together in the next, so BEGIN and COMMIT (and the WAL
/// write) are paid once per batch instead of once per message. Each caller still gets
/// all-or-nothing: if any part of a batch fails, the batch is rolled back and every part
/// is run again in a transaction of its own, so one bad write never takes others with it.
///
/// Batches run on the writer's own thread, so their statements execute without a hop.
final class GroupCommit: Sendable {
    private struct Pending: Sendable {
        /// Runs the caller's work; stores its result for `finish`.
        let execute: @Sendable (any SQLDatabase) async throws -> Void
        /// Resumes the caller with the stored result, or with the error.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
    }

    private let connection: ThreadedSQLiteConnection
    private let db: any SQLDatabase
    private let lock: AsyncMutex
    /// Runs inside every transaction, after the callers' work and before COMMIT.
    private let beforeCommit: @Sendable (any SQLDatabase) async throws -> Void
    /// The report traffic the transaction's work adds, written once before COMMIT.
    private let traffic: TrafficTally
    private let queue = Mutex(Queue())
    private let maxBatch = 256

    init(
        connection: ThreadedSQLiteConnection, logger: Logger, lock: AsyncMutex, traffic: TrafficTally,
        beforeCommit: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) {
        self.traffic = traffic
        self.connection = connection
        self.db = connection.sql(logger: logger)
        self.lock = lock
        self.beforeCommit = beforeCommit
    }

    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let pending = Pending(
                execute: { db in box.value = try await body(db) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                })
            let startDrain = queue.withLock { q in
                q.pending.append(pending)
                if q.draining { return false }
                q.draining = true
                return true
            }
            if startDrain {
                Task(executorPreference: connection.thread) { await self.drain() }
            }
        }
        return box.value!
    }

    /// The next batch, or nil (and no longer draining) when the queue is empty.
    private func nextBatch() -> [Pending]? {
        queue.withLock { q in
            if q.pending.isEmpty {
                q.draining = false
                return nil
            }
            let batch = Array(q.pending.prefix(maxBatch))
            q.pending.removeFirst(batch.count)
            return batch
        }
    }

    private func drain() async {
        while let batch = nextBatch() {
            await lock.lock()
            do {
                try await transaction { db in for p in batch { try await p.execute(db) } }
                for p in batch { p.finish(nil) }
            } catch {
                try? await exec(db, "ROLLBACK")
                if batch.count == 1 {
                    batch[0].finish(error)
                } else {
                    for p in batch { await runAlone(p) }
                }
            }
            await lock.unlock()
        }
    }

    /// BEGIN, the work, what is written before every commit, COMMIT; the caller rolls back on error.
    private func transaction(_ work: (any SQLDatabase) async throws -> Void) async throws {
        try await exec(db, "BEGIN IMMEDIATE")
        traffic.discard()
        try await TrafficTally.$current.withValue(traffic) { try await work(db) }
        try await traffic.flush(db)
        try await beforeCommit(db)
        try await exec(db, "COMMIT")
    }

    private func runAlone(_ p: Pending) async {
        do {
            try await transaction(p.execute)
            p.finish(nil)
        } catch {
            try? await exec(db, "ROLLBACK")
            p.finish(error)
        }
    }
}

/// Where a batched transaction leaves its caller's result.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: T?
}
