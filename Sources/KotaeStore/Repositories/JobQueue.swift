import Foundation
import KotaeCore
import SQLKit

/// The job queue (table `jobs`, with one `job_runs` row per attempt): background work that
/// outlives a request and a crash. A job is written in the transaction of the change it
/// follows from (`enqueue(_:in:)`), claimed by one runner at a time, retried with backoff,
/// and left `dead` with its reason when it will not succeed.
public struct JobQueue: Sendable {
    let db: KotaeDatabase

    var dialect: SQLDialectKind { db.dialect }

    /// Queues `payload` inside the caller's transaction `tx`.
    func enqueue<P: JobPayload>(_ payload: P, in tx: any SQLDatabase, now: Date, maxAttempts: Int = 8) async throws {
        try await tx.raw(
            """
            INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
            VALUES (\(bind: P.kind), \(bind: JSON.string(payload)), 'queued', 0, \(bind: Int64(maxAttempts)), \(bind: now.epoch), \(bind: now.epoch), \(bind: now.epoch))
            """
        ).run()
    }

    public func enqueue<P: JobPayload>(_ payload: P, now: Date = Date(), maxAttempts: Int = 8) async throws {
        try await db.write { tx in try await self.enqueue(payload, in: tx, now: now, maxAttempts: maxAttempts) }
    }

    /// Queues a job the first time `key` is seen, in one transaction: a redelivered event
    /// queues nothing more, and a crash cannot leave the key claimed with no job behind it.
    @discardableResult
    public func enqueueOnce<P: JobPayload>(key: String, _ payload: P, now: Date = Date()) async throws -> Bool {
        try await db.write { tx in
            guard try await OnceKeys.claim(key, in: tx, now: now) else { return false }
            try await self.enqueue(payload, in: tx, now: now)
            return true
        }
    }

    static func job(_ r: any SQLRow) throws -> Job {
        Job(
            id: try r.int("id"), kind: try r.string("kind"), payload: try r.string("payload"), state: try r.enumValue("state", JobState.self),
            attempts: Int(try r.int("attempts")), maxAttempts: Int(try r.int("max_attempts")), runAt: try r.date("run_at"),
            lastError: try r.stringOpt("last_error"))
    }

    /// Claims up to `limit` due jobs for `runner` for `lease` seconds. A job whose runner died
    /// becomes claimable again when its lease ends. On PostgreSQL several processes claim
    /// concurrently without taking the same job (`FOR UPDATE SKIP LOCKED`).
    public func claim(runner: String, limit: Int, lease: TimeInterval = 60, now: Date = Date()) async throws -> [Job] {
        let lock = dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.write { db in
            let rows = try await db.raw(
                """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: runner),
                  locked_until = \(bind: now.epoch + lease), updated_at = \(bind: now.epoch)
                WHERE id IN (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= \(bind: now.epoch))
                  OR (state = 'running' AND locked_until < \(bind: now.epoch))
                  ORDER BY run_at, id LIMIT \(bind: limit) \(unsafeRaw: lock))
                RETURNING id, kind, payload, state, attempts, max_attempts, run_at, last_error
                """
            ).all().map(Self.job)
            for j in rows {
                try await db.raw(
                    "INSERT INTO job_runs (job_id, attempt, runner, at, outcome) VALUES (\(bind: j.id), \(bind: Int64(j.attempts)), \(bind: runner), \(bind: now.epoch), 'started')"
                ).run()
            }
            return rows
        }
    }

    public func complete(id: ID, attempt: Int, now: Date = Date()) async throws {
        try await db.write { db in
            try await db.raw(
                "UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = \(bind: now.epoch) WHERE id = \(bind: id)"
            ).run()
            try await db.raw("UPDATE job_runs SET outcome = 'done' WHERE job_id = \(bind: id) AND attempt = \(bind: Int64(attempt))").run()
        }
    }

    /// Records a failed attempt: retried at `retryAt`, or dead when attempts are used up
    /// (or `retryAt` is nil: the error will not heal by retrying).
    public func fail(_ job: Job, error: String, retryAt: Date?, now: Date = Date()) async throws -> JobState {
        let dead = retryAt == nil || job.attempts >= job.maxAttempts
        let state: JobState = dead ? .dead : .queued
        try await db.write { db in
            try await db.raw(
                """
                UPDATE jobs SET state = \(bind: state.rawValue), run_at = \(bind: (retryAt ?? now).epoch), last_error = \(bind: error),
                locked_by = NULL, locked_until = NULL, updated_at = \(bind: now.epoch) WHERE id = \(bind: job.id)
                """
            ).run()
            try await db.raw(
                "UPDATE job_runs SET outcome = \(bind: "failed: " + error) WHERE job_id = \(bind: job.id) AND attempt = \(bind: Int64(job.attempts))"
            ).run()
        }
        return state
    }

    public func list(state: JobState? = nil) async throws -> [Job] {
        try await db.read { db in
            try await db.raw(
                "SELECT id, kind, payload, state, attempts, max_attempts, run_at, last_error FROM jobs WHERE (\(bind: state?.rawValue) IS NULL OR state = \(bind: state?.rawValue)) ORDER BY id"
            ).all().map(Self.job)
        }
    }

    public func depth() async throws -> Int {
        try await db.read { db in
            Int(try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')").first()!.int("n"))
        }
    }

    /// Runs a waiting or dead job now, with its full allowance of attempts again. Attempts
    /// keep counting (`job_runs` keeps one row per attempt), so the allowance is raised instead.
    public func retry(id: ID, now: Date = Date()) async throws {
        try await db.write { db in
            try await db.raw(
                """
                UPDATE jobs SET state = 'queued', max_attempts = attempts + max_attempts, run_at = \(bind: now.epoch),
                  updated_at = \(bind: now.epoch) WHERE id = \(bind: id) AND state IN ('queued', 'dead')
                """
            ).run()
        }
    }

    /// Number of runs recorded per job, for checking exactly-once execution.
    public func runCounts() async throws -> [ID: Int] {
        try await db.read { db in
            var out: [ID: Int] = [:]
            for r in try await db.raw("SELECT job_id, COUNT(*) AS n FROM job_runs WHERE outcome = 'done' GROUP BY job_id").all() {
                out[try r.int("job_id")] = Int(try r.int("n"))
            }
            return out
        }
    }
}

extension KotaeStore {
    /// The job queue.
    public var jobs: JobQueue { JobQueue(db: db) }
}

extension Job {
    /// The job's payload as its kind's type.
    public func payload<P: JobPayload>(as type: P.Type) throws -> P {
        try JSON.decoder.decode(P.self, from: Data(payload.utf8))
    }
}
