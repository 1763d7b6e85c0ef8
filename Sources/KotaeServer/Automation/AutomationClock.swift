import Foundation
import KotaeCore
import KotaeStore
import Logging
import ServiceLifecycle

/// Sets off the timed rules: a customer waiting so long with no answer, or silent so long
/// since the last answer. Each pass looks at the moments that fell since the last one and
/// queues one job per rule, conversation and wait (a key makes a second worker, or a pass
/// after a restart, queue nothing twice); the job checks the rule's conditions then.
struct AutomationClock: Service {
    let store: KotaeStore
    let book: RuleBook
    let clock: AppClock
    let logger: Logger
    let wake: @Sendable () -> Void
    var interval: Duration = .seconds(30)

    func run() async throws {
        var since = clock.now.addingTimeInterval(-SLAEscalationService.catchUp)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // A pass an interval after the start, not at it: a starting server (or test) has enough to do.
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            let now = clock.now
            do {
                try await pass(since: since, now: now)
                since = now
            } catch {
                logger.warning("timed automation rules could not run", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Queues the timed rules whose moment came after `since` and by `now`; returns how many.
    @discardableResult
    func pass(since: Date, now: Date) async throws -> Int {
        var queued = 0
        for rule in book.rules(for: .customerWaiting) + book.rules(for: .customerSilent) {
            guard let minutes = rule.afterMinutes else { continue }
            let wait = minutes * 60
            let (from, to) = (since.addingTimeInterval(-wait), now.addingTimeInterval(-wait))
            let due =
                rule.trigger == .customerWaiting
                ? try await store.automation.waiting(after: from, upTo: to) : try await store.automation.silent(after: from, upTo: to)
            for (id, started) in due {
                let key = "automation:\(rule.id):\(id):\(Int64(started.timeIntervalSince1970.rounded()))"
                if try await store.jobs.enqueueOnce(key: key, RunAutomation(trigger: rule.trigger, conversationId: id, ruleId: rule.id)) {
                    queued += 1
                }
            }
        }
        if queued > 0 { wake() }
        return queued
    }
}
