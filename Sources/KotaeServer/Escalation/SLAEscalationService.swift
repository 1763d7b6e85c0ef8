import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Raises SLA warnings before each due time and the alert at the breach. Each pass looks at
/// the conversations whose warning or breach moment fell since the last pass and queues one
/// alert job per conversation, due time and stage (a key makes a second worker, or a pass
/// after a restart, queue nothing twice). The job checks again before anything is sent.
struct SLAEscalationService: Service {
    let store: KotaeStore
    let clock: AppClock
    let logger: Logger
    let wake: @Sendable () -> Void
    var interval: Duration = .seconds(15)
    /// How far back the first pass after a start looks: a breach an hour old is still news.
    static let catchUp: TimeInterval = 3600

    func run() async throws {
        var since = clock.now.addingTimeInterval(-Self.catchUp)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // A pass an interval after the start, not at it: a starting server (or test) has enough to do.
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            let now = clock.now
            do {
                try await scan(since: since, now: now)
                since = now
            } catch {
                logger.warning("SLA alerts could not be raised", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Queues the alerts whose moment came after `since` and by `now`; returns how many.
    @discardableResult
    func scan(since: Date, now: Date) async throws -> Int {
        let settings = try await EscalationSettings.load(store)
        var queued = 0
        for (id, due, started) in try await store.slaAlerts.due(moments: settings.offsets, after: since, upTo: now) {
            guard let before = SLAEscalation.stage(due: due, started: started, offsets: settings.offsets, since: since, now: now) else { continue }
            let alert = SLAAlert(conversationId: id, dueAt: due, before: before)
            // Run at once, by the runner's own time.
            if try await store.jobs.enqueueOnce(key: alert.onceKey, alert) { queued += 1 }
        }
        if queued > 0 { wake() }
        return queued
    }
}
