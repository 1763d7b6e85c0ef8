import Foundation

/// Reads what a change of a conversation's clock means for reports: pure, from the clock
/// before and after one change, so no path that moves the clock can forget to report it.
public enum ReportLedger {
    public struct Reading: Sendable, Equatable {
        public var facts: [ReportFact] = []
        /// Change in the number of customers waiting for an answer, and of unresolved conversations.
        public var unanswered = 0
        public var backlog = 0
        /// The full resolution counted before is taken back (the conversation left "resolved").
        public var retractsResolution = false

        public var isEmpty: Bool { facts.isEmpty && unanswered == 0 && backlog == 0 && !retractsResolution }
    }

    /// `humanAnswers`: public answers from people in the conversation so far, for one-touch;
    /// `resolvedBefore`: whether it was ever resolved before (its first resolution is counted once).
    public static func read(
        before: ConversationClock, after: ConversationClock, policy: SLAPolicy, now: Date, humanAnswers: () -> Int,
        resolvedBefore: () -> Bool
    ) -> Reading {
        var r = Reading()
        let hours = policy.businessHours
        if let at = after.lastAnsweredAt, at != before.lastAnsweredAt, before.needsReply, let since = before.waitingSince {
            r.facts.append(.duration(.replyWait, from: since, to: at, hours: hours))
            let due = before.firstRespondedAt == nil ? before.firstResponseDue : before.nextResponseDue
            if let due, at > due { r.facts.append(ReportFact(.replyWaitBreached, at: at)) }
            if let window = before.responseWindowSince {
                r.facts.append(.duration(.firstResponse, from: max(window, since), to: at, hours: hours))
                if before.firstRespondedAt == nil, let due = before.firstResponseDue, at > due {
                    r.facts.append(ReportFact(.firstResponseBreached, at: at))
                }
            }
        }
        let wasResolved = before.status == .resolved, isResolved = after.status == .resolved
        if !wasResolved, isResolved, let at = after.resolvedAt {
            r.facts.append(.duration(.resolution, from: after.createdAt, to: at, hours: hours))
            if !resolvedBefore() { r.facts.append(.duration(.firstResolution, from: after.createdAt, to: at, hours: hours)) }
            if humanAnswers() <= 1 { r.facts.append(ReportFact(.oneTouch, at: at)) }
            r.backlog -= 1
        }
        if wasResolved, !isResolved {
            r.facts.append(ReportFact(.reopen, at: now))
            r.retractsResolution = true
            r.backlog += 1
        }
        if before.needsReply != after.needsReply { r.unanswered += after.needsReply ? 1 : -1 }
        return r
    }
}
