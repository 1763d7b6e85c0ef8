import SQLKit

/// Group commit for SQLite's single writer: transactions that arrive while one batch is
/// being written are committed together in the next, so BEGIN and COMMIT (and the WAL
/// write) are paid once per batch instead of once per message. Each caller still gets
/// all-or-nothing: if any part of a batch fails, the batch is rolled back and every part
/// is run again in a transaction of its own, so one bad write never takes others with it.
actor GroupCommit {
    private struct Pending {
        /// Runs the caller's work; stores its result for `finish`.
        let execute: @Sendable (any SQLDatabase) async throws -> Void
        /// Resumes the caller with the stored result, or with the error.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let db: any SQLDatabase
    private let lock: AsyncMutex
    private var queue: [Pending] = []
    private var draining = false
    private let maxBatch = 256

    init(db: any SQLDatabase, lock: AsyncMutex) {
        self.db = db
        self.lock = lock
    }

    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.append(Pending(
                execute: { db in box.value = try await body(db) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return box.value!
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            await lock.lock()
            do {
                try await exec(db, "BEGIN IMMEDIATE")
                for p in batch { try await p.execute(db) }
                try await exec(db, "COMMIT")
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
        draining = false
    }

    private func runAlone(_ p: Pending) async {
        do {
            try await exec(db, "BEGIN IMMEDIATE")
            try await p.execute(db)
            try await exec(db, "COMMIT")
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
