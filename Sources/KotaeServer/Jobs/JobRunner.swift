import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Runs queued jobs: claims a batch, runs each, records done or a retry with backoff;
/// a job out of attempts is left `dead`, visible to admins. Several runners (threads or
/// processes) share the queue safely because claiming is one atomic statement.
final class JobRunner: Service, Sendable {
    enum JobResult: Sendable {
        case done
        case retry(String, after: TimeInterval?)
        /// A platform's rate limit: wait `after` when it said, else `throttleBackoff`.
        case throttled(String, after: TimeInterval?)
        case fail(String)
    }

    /// A minute, doubling to an hour: a job's eight attempts then span one to two hours, longer
    /// than the rolling hour over which Graph counts calls (X's windows are 15 minutes).
    static let throttleBackoff = Backoff(base: 60, cap: 3600)

    let store: KotaeStore
    let runnerId: String
    let handlers: JobHandlers
    let metrics: KotaeMetrics
    let logger: Logger
    let backoff: Backoff
    let pollInterval: Duration
    private let wake = Locked<AsyncStream<Void>.Continuation?>(nil)

    init(
        store: KotaeStore, runnerId: String, handlers: JobHandlers, metrics: KotaeMetrics, logger: Logger,
        backoff: Backoff = Backoff(), pollInterval: Duration = .milliseconds(250)
    ) {
        self.store = store
        self.runnerId = runnerId
        self.handlers = handlers
        self.metrics = metrics
        self.logger = logger
        self.backoff = backoff
        self.pollInterval = pollInterval
    }

    /// Asks the runner to look at the queue now instead of at its next poll.
    func poke() { _ = wake.withLock { $0 }?.yield() }

    func run() async throws {
        let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake.withLock { $0 = continuation }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval)
                continuation.yield()
            }
        }
        defer { ticker.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            let draining = Task { await self.drain() }
            // Cancelling the runner (not a graceful stop) cancels the jobs in flight too: left
            // running, they outlived the database the server closes next.
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    await draining.value
                } onGracefulShutdown: {
                    // A job still running a few seconds into a shutdown (a slow platform, a long
                    // wait) is cancelled: it is tried again after the next start, and the process
                    // does not outlive what a supervisor gives it to stop.
                    Task {
                        try? await Task.sleep(for: Self.shutdownGrace)
                        draining.cancel()
                    }
                }
            } onCancel: {
                draining.cancel()
            }
        }
    }

    /// How long jobs in flight may finish once the server is stopping.
    static let shutdownGrace: Duration = .seconds(5)

    /// Runs due jobs until none is left, or the server is stopping: a job retrying every few
    /// seconds must not hold a shutdown open (it stays queued for the next start).
    func drain() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let jobs: [Job]
            do {
                jobs = try await store.jobs.claim(runner: runnerId, limit: 16)
            } catch {
                logger.warning("could not claim jobs", metadata: ["error": "\(error)"])
                return
            }
            if jobs.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await self.runOne(job) } }
            }
        }
    }

    private func runOne(_ job: Job) async {
        let result: JobResult
        if let handler = handlers.runs[job.kind] {
            do { result = try await handler(job) } catch { result = .retry("\(error)", after: nil) }
        } else {
            result = .fail("no handler for job kind \(job.kind)")
        }
        do {
            switch result {
            case .done:
                try await store.jobs.complete(id: job.id, attempt: job.attempts)
            case .retry(let reason, let after), .throttled(let reason, let after):
                metrics.jobsFailed.increment()
                // A platform's wait (Retry-After, a reset time) is believed within a day.
                let asked = after ?? result.backoff(default: backoff).delay(afterAttempt: job.attempts)
                let delay = asked.isFinite ? min(max(asked, 0), PlatformTime.longestWait) : 60
                let state = try await store.jobs.fail(job, error: reason, retryAt: Date().addingTimeInterval(delay))
                logger.info(
                    "job failed",
                    metadata: [
                        "job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)", "state": "\(state.rawValue)", "error": "\(reason)",
                    ])
                if state == .dead { await handlers.deaths[job.kind]?(job, reason) }
            case .fail(let reason):
                metrics.jobsFailed.increment()
                _ = try await store.jobs.fail(job, error: reason, retryAt: nil)
                logger.info("job gave up", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "error": "\(reason)"])
                await handlers.deaths[job.kind]?(job, reason)
            }
        } catch {
            logger.error("could not record job outcome", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }
}

/// Wakes the job runner, once there is one: the runner is built after the channels whose
/// jobs it runs, and they (and the inbound pipeline) poke it when they queue work.
final class RunnerWake: Sendable {
    private let runner = Locked<JobRunner?>(nil)

    init() {}

    func attach(_ runner: JobRunner?) { self.runner.withLock { $0 = runner } }

    /// Asks the runner to look at the queue now (nothing on a web instance: a worker polls).
    func poke() { runner.withLock { $0 }?.poke() }
}

/// Small periodic chores: wake snoozed conversations, refresh gauges.
struct Housekeeping: Service {
    let store: KotaeStore
    let hub: EventHub
    let metrics: KotaeMetrics
    let logger: Logger
    let clock: AppClock
    var interval: Duration = .seconds(1)

    func run() async throws {
        var tick = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for id in try await store.conversations.wakeSnoozed(now: clock.now) {
                    hub.publish(.conversationUpdated(id, inbox: nil))
                }
                if tick % 5 == 0 {
                    metrics.jobQueueDepth.record(Double(try await store.jobs.depth()))
                    metrics.slaBreached.record(Double(try await store.conversations.breachedCount(now: clock.now)))
                }
            } catch {
                logger.warning("housekeeping failed", metadata: ["error": "\(error)"])
            }
            tick += 1
            try? await clock.sleep(for: interval)
        }
    }
}

extension JobRunner.JobResult {
    /// How long a retry waits when the handler did not say: a throttle waits longer.
    func backoff(default standard: Backoff) -> Backoff {
        if case .throttled = self { JobRunner.throttleBackoff } else { standard }
    }
}
