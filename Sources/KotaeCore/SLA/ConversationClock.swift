import Foundation

/// The part of a conversation that decides who is waiting and when an answer is due.
/// A pure state machine: events in, new state out, no I/O; the store persists the fields.
public struct ConversationClock: Codable, Sendable, Equatable {
    public var status: ConversationStatus
    public var createdAt: Date
    /// Start of the current open cycle (first message, or the message that reopened it).
    public var cycleStartedAt: Date
    /// A customer message is waiting for an answer ("nobody ignored").
    public var needsReply: Bool
    public var waitingSince: Date?
    public var firstRespondedAt: Date?
    public var firstResponseDue: Date?
    public var nextResponseDue: Date?
    public var resolutionDue: Date?
    public var resolvedAt: Date?
    public var pendingSince: Date?
    public var snoozedUntil: Date?
    /// Why it was closed without an answer, when it was.
    public var noReplyReason: NoReplyReason?
    /// Measured first-response time, in the policy's time (business seconds with business hours).
    public var firstResponseSeconds: Double?
    /// Measured resolution time of the last cycle, pauses excluded.
    public var resolutionSeconds: Double?
    /// Time spent pending in the current cycle, excluded from resolution time.
    public var pausedSeconds: Double
    /// Earliest active due time and when it turns "due soon"; nil when nothing is due.
    public var slaDueAt: Date?
    public var slaWarnAt: Date?
    /// An answer is on its way (queued, not yet delivered). The customer is still waiting
    /// until it arrives, but a conversation may be closed meanwhile without a reason.
    public var replySendingSince: Date?
    /// The last reply could not be delivered and none has been since (「送信失敗」).
    public var replyFailedAt: Date?
    /// When the customer last got an answer (a reply delivered).
    public var lastAnsweredAt: Date?
    /// Reports' first response of this cycle counts from here (the conversation's start, a
    /// reopening or the bot's hand-off); nil once a waiting customer got that first answer.
    public var responseWindowSince: Date?

    /// A new conversation opened by a customer's first message.
    public init(openedAt at: Date) {
        status = .open
        createdAt = at
        cycleStartedAt = at
        needsReply = false
        pausedSeconds = 0
        responseWindowSince = at
    }

    public enum Event: Sendable, Equatable {
        /// The customer wrote something that needs an answer.
        case inbound(at: Date)
        /// An answer was written and queued; it does not answer the customer until delivered.
        case replyQueued(at: Date)
        /// An answer reached the customer (the platform accepted it).
        case reply(at: Date)
        /// A reply will never be delivered. `stillSending`: another reply is still queued.
        case replyFailed(at: Date, stillSending: Bool)
        /// An answer went out, but other public comments of the customer are still unanswered
        /// (each needs its own): they wait since the oldest of them.
        case stillWaiting(since: Date)
        /// An agent changed the status. Leaving the queue while a customer waits needs a reason.
        case setStatus(ConversationStatus, at: Date, reason: NoReplyReason? = nil)
        case snooze(until: Date, at: Date)
        /// The snooze time has come.
        case wake(at: Date)
        /// The FAQ bot handed the conversation to a person: a person's first response counts from here.
        case handOff(at: Date)
    }

    public enum RuleError: Error, Equatable, Sendable {
        /// Closing or parking a conversation whose customer is still waiting needs a reason.
        case reasonRequired
        case snoozeInPast
        /// Use `snooze` to snooze: it needs a time.
        case snoozeNeedsTime
    }

    public mutating func apply(_ event: Event, policy: SLAPolicy) throws(RuleError) {
        switch event {
        case .inbound(let at):
            resume(at: at, policy: policy)
            if status == .resolved {
                resolvedAt = nil
                cycleStartedAt = at
                pausedSeconds = 0
                resolutionDue = nil
                responseWindowSince = at
            }
            status = .open
            snoozedUntil = nil
            noReplyReason = nil
            if !needsReply { startWaiting(since: at, policy: policy) }
            if resolutionDue == nil, let r = policy.resolution {
                resolutionDue = policy.due(after: r, from: at)
            }

        case .replyQueued(let at):
            replySendingSince = replySendingSince ?? at

        case .reply(let at):
            lastAnsweredAt = at
            if needsReply { responseWindowSince = nil }
            if firstRespondedAt == nil {
                firstRespondedAt = at
                firstResponseSeconds = policy.elapsed(from: waitingSince ?? createdAt, to: at)
            }
            // Closed while this answer was on its way: the cycle ends when the answer arrives.
            if status == .resolved, needsReply, let resolvedAt, at > resolvedAt {
                resolutionSeconds = max(0, policy.elapsed(from: cycleStartedAt, to: at) - pausedSeconds)
            }
            needsReply = false
            waitingSince = nil
            nextResponseDue = nil
            noReplyReason = nil
            replySendingSince = nil
            replyFailedAt = nil

        case .replyFailed(let at, let stillSending):
            if !stillSending { replySendingSince = nil }
            replyFailedAt = at
            // The customer never got the answer: back in the queue with the clock it had.
            if needsReply && status != .open && !stillSending {
                resume(at: at, policy: policy)
                if status == .resolved {
                    resolvedAt = nil
                    resolutionSeconds = nil
                }
                snoozedUntil = nil
                status = .open
            }

        case .stillWaiting(let since):
            guard status != .resolved else { break }
            startWaiting(since: since, policy: policy)

        case .setStatus(let target, let at, let reason):
            if target == .snoozed { throw .snoozeNeedsTime }
            if target == status { break }
            if target != .open && needsReply {
                if let reason {
                    needsReply = false
                    waitingSince = nil
                    nextResponseDue = nil
                    noReplyReason = reason
                } else if replySendingSince == nil {
                    throw .reasonRequired
                }
                // Else an answer is on its way: the agent may close now, and the customer
                // stays waiting until it arrives.
            }
            switch target {
            case .open:
                resume(at: at, policy: policy)
                if status == .resolved {
                    resolvedAt = nil
                    cycleStartedAt = at
                    pausedSeconds = 0
                    resolutionDue = policy.resolution.map { policy.due(after: $0, from: at) }
                    responseWindowSince = at
                }
                snoozedUntil = nil
            case .pending:
                resume(at: at, policy: policy)
                pendingSince = at
                snoozedUntil = nil
            case .resolved:
                resume(at: at, policy: policy)
                // Closing is the agent's conscious decision about a failed reply too.
                replyFailedAt = nil
                resolvedAt = at
                resolutionSeconds = max(0, policy.elapsed(from: cycleStartedAt, to: at) - pausedSeconds)
                snoozedUntil = nil
            case .snoozed:
                break
            }
            status = target

        case .snooze(let until, let at):
            guard until > at else { throw .snoozeInPast }
            resume(at: at, policy: policy)
            if status == .resolved { resolvedAt = nil }
            status = .snoozed
            snoozedUntil = until

        case .wake(let at):
            guard status == .snoozed, let until = snoozedUntil, until <= at else { break }
            status = .open
            snoozedUntil = nil

        case .handOff(let at):
            responseWindowSince = at
        }
        recomputeDue(policy: policy)
    }

    /// The customer waits from `since`: for a first response, or for the next one.
    private mutating func startWaiting(since: Date, policy: SLAPolicy) {
        needsReply = true
        waitingSince = since
        if firstRespondedAt == nil {
            firstResponseDue = firstResponseDue ?? policy.due(after: policy.firstResponse, from: since)
        } else {
            nextResponseDue = policy.due(after: policy.nextResponse, from: since)
        }
    }

    /// Leaving pending: the paused time is added to every running target.
    private mutating func resume(at: Date, policy: SLAPolicy) {
        guard status == .pending, let since = pendingSince else { return }
        let paused = policy.elapsed(from: since, to: at)
        pausedSeconds += paused
        func shift(_ d: Date?) -> Date? { d.map { policy.due(after: paused, from: $0) } }
        if firstRespondedAt == nil { firstResponseDue = shift(firstResponseDue) }
        nextResponseDue = shift(nextResponseDue)
        resolutionDue = shift(resolutionDue)
        pendingSince = nil
    }

    /// The shop changed its targets or business hours: every running due time is counted
    /// again under the new policy from where it started (the customer's waiting-since, the
    /// cycle's start plus its pauses). Measured times of the past stay as they were.
    public mutating func reapply(policy: SLAPolicy) {
        guard status != .resolved else { return }
        if needsReply, let since = waitingSince {
            if firstRespondedAt == nil {
                firstResponseDue = policy.due(after: policy.firstResponse, from: since)
            } else {
                nextResponseDue = policy.due(after: policy.nextResponse, from: since)
            }
        }
        resolutionDue = policy.resolution.map { policy.due(after: pausedSeconds, from: policy.due(after: $0, from: cycleStartedAt)) }
        recomputeDue(policy: policy)
    }

    /// Targets that are running now, each with its length (for the due-soon warning).
    public func activeTargets(policy: SLAPolicy) -> [(due: Date, length: TimeInterval)] {
        guard status == .open || status == .snoozed else { return [] }
        var out: [(Date, TimeInterval)] = []
        if needsReply {
            if firstRespondedAt == nil, let d = firstResponseDue { out.append((d, policy.firstResponse)) }
            if firstRespondedAt != nil, let d = nextResponseDue { out.append((d, policy.nextResponse)) }
        }
        if let d = resolutionDue, let r = policy.resolution { out.append((d, r)) }
        return out
    }

    private mutating func recomputeDue(policy: SLAPolicy) {
        let targets = activeTargets(policy: policy)
        slaDueAt = targets.map(\.due).min()
        slaWarnAt = targets.map { policy.warning(forTarget: $0.length, dueAt: $0.due) }.min()
    }

    public func slaState(at now: Date) -> SLAState {
        if status == .pending { return .paused }
        guard let due = slaDueAt else { return .none }
        if now >= due { return .breached }
        if let warn = slaWarnAt, now >= warn { return .dueSoon }
        return .onTrack
    }
}

public enum SLAState: String, Codable, Sendable, CaseIterable {
    case none
    case onTrack = "on_track"
    case dueSoon = "due_soon"
    case breached
    case paused
}
