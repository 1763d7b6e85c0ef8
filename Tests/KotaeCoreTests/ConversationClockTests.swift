import Foundation
import Testing
@testable import KotaeCore

@Suite struct ConversationClockTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let chat = SLAPolicy.defaults(for: .chat)

    func opened(_ policy: SLAPolicy) throws -> ConversationClock {
        var c = ConversationClock(openedAt: t0)
        try c.apply(.inbound(at: t0), policy: policy)
        return c
    }

    @Test func firstMessageStartsTheFirstResponseClock() throws {
        let c = try opened(chat)
        #expect(c.needsReply)
        #expect(c.waitingSince == t0)
        #expect(c.firstResponseDue == t0 + 1800)
        #expect(c.slaDueAt == t0 + 1800)
        #expect(c.slaWarnAt == t0 + 1800 - 450)
        #expect(c.slaState(at: t0 + 60) == .onTrack)
        #expect(c.slaState(at: t0 + 1500) == .dueSoon)
        #expect(c.slaState(at: t0 + 1800) == .breached)
    }

    @Test func replyStopsTheClockAndRecordsFirstResponseTime() throws {
        var c = try opened(chat)
        try c.apply(.reply(at: t0 + 600), policy: chat)
        #expect(!c.needsReply)
        #expect(c.firstResponseSeconds == 600)
        #expect(c.firstRespondedAt == t0 + 600)
        // Only the resolution target runs now.
        #expect(c.slaDueAt == c.resolutionDue)
    }

    @Test func aQueuedReplyAnswersNobodyUntilItIsDelivered() throws {
        var c = try opened(chat)
        let waiting = c
        try c.apply(.replyQueued(at: t0 + 60), policy: chat)
        #expect(c.needsReply && c.waitingSince == t0 && c.slaDueAt == waiting.slaDueAt)
        #expect(c.replySendingSince == t0 + 60)
        // Delivered two minutes later: that is the first response.
        try c.apply(.reply(at: t0 + 180), policy: chat)
        #expect(!c.needsReply && c.firstResponseSeconds == 180 && c.replySendingSince == nil)
    }

    @Test func aFailedReplyKeepsTheWaitAndReopensWhatWasClosedMeanwhile() throws {
        var c = try opened(chat)
        let waiting = c
        try c.apply(.replyQueued(at: t0 + 60), policy: chat)
        try c.apply(.setStatus(.resolved, at: t0 + 61), policy: chat)  // no reason needed: the answer is on its way
        #expect(c.status == .resolved && c.needsReply)
        try c.apply(.replyFailed(at: t0 + 90, stillSending: false), policy: chat)
        #expect(c.status == .open && c.needsReply && c.resolvedAt == nil)
        #expect(c.waitingSince == waiting.waitingSince && c.firstResponseDue == waiting.firstResponseDue && c.slaDueAt == waiting.slaDueAt)
        #expect(c.replyFailedAt == t0 + 90 && c.firstRespondedAt == nil)
        #expect(throws: ConversationClock.RuleError.reasonRequired) { try c.apply(.setStatus(.resolved, at: t0 + 100), policy: chat) }
        // A conscious close with a reason clears the marker.
        try c.apply(.setStatus(.resolved, at: t0 + 120, reason: .answeredElsewhere), policy: chat)
        #expect(c.replyFailedAt == nil && !c.needsReply)
    }

    @Test func aReplyResolvedBeforeDeliveryCountsResolutionToTheDelivery() throws {
        var c = try opened(chat)
        try c.apply(.replyQueued(at: t0 + 60), policy: chat)
        try c.apply(.setStatus(.resolved, at: t0 + 61), policy: chat)
        try c.apply(.reply(at: t0 + 300), policy: chat)
        #expect(c.status == .resolved && !c.needsReply && c.resolutionSeconds == 300 && c.firstResponseSeconds == 300)
    }

    @Test func customerFollowUpStartsTheNextResponseClock() throws {
        var c = try opened(chat)
        try c.apply(.reply(at: t0 + 600), policy: chat)
        try c.apply(.inbound(at: t0 + 1000), policy: chat)
        #expect(c.nextResponseDue == t0 + 1000 + 1800)
        #expect(c.slaDueAt == t0 + 2800)
        // A second message while still waiting does not restart the clock.
        try c.apply(.inbound(at: t0 + 1200), policy: chat)
        #expect(c.nextResponseDue == t0 + 2800)
        #expect(c.waitingSince == t0 + 1000)
    }

    @Test func closingAWaitingCustomerNeedsAReason() throws {
        var c = try opened(chat)
        #expect(throws: ConversationClock.RuleError.reasonRequired) {
            try c.apply(.setStatus(.resolved, at: t0 + 10), policy: chat)
        }
        #expect(c.status == .open && c.needsReply)
        try c.apply(.setStatus(.resolved, at: t0 + 10, reason: .spam), policy: chat)
        #expect(c.status == .resolved && !c.needsReply && c.noReplyReason == .spam)
        #expect(c.slaDueAt == nil)
    }

    @Test func pendingPausesTheClocks() throws {
        var c = try opened(chat)
        try c.apply(.reply(at: t0 + 100), policy: chat)
        let resolutionDue = try #require(c.resolutionDue)
        try c.apply(.setStatus(.pending, at: t0 + 200), policy: chat)
        #expect(c.slaState(at: t0 + 999_999) == .paused)
        #expect(c.slaDueAt == nil)
        try c.apply(.inbound(at: t0 + 3800), policy: chat)
        #expect(c.status == .open)
        #expect(c.resolutionDue == resolutionDue + 3600)
        try c.apply(.reply(at: t0 + 3900), policy: chat)
        try c.apply(.setStatus(.resolved, at: t0 + 4000), policy: chat)
        #expect(abs((c.resolutionSeconds ?? 0) - 400) < 0.001)
    }

    @Test func customerReopensAResolvedConversation() throws {
        var c = try opened(chat)
        try c.apply(.reply(at: t0 + 100), policy: chat)
        try c.apply(.setStatus(.resolved, at: t0 + 200), policy: chat)
        try c.apply(.inbound(at: t0 + 10_000), policy: chat)
        #expect(c.status == .open && c.resolvedAt == nil && c.needsReply)
        #expect(c.nextResponseDue == t0 + 10_000 + 1800)
        #expect(c.resolutionDue == t0 + 10_000 + 86400)
    }

    @Test func snoozeKeepsTheClockAndWakes() throws {
        var c = try opened(chat)
        #expect(throws: ConversationClock.RuleError.snoozeInPast) {
            try c.apply(.snooze(until: t0, at: t0 + 5), policy: chat)
        }
        try c.apply(.snooze(until: t0 + 900, at: t0 + 5), policy: chat)
        #expect(c.status == .snoozed && c.needsReply)
        #expect(c.slaDueAt == t0 + 1800)
        try c.apply(.wake(at: t0 + 100), policy: chat)
        #expect(c.status == .snoozed)
        try c.apply(.wake(at: t0 + 900), policy: chat)
        #expect(c.status == .open)
    }

    @Test func businessHoursDueTimes() throws {
        var policy = SLAPolicy.defaults(for: .email)
        policy.firstResponse = 4 * 3600
        policy.businessHours = .weekdays(from: 9, to: 18)
        var c = ConversationClock(openedAt: tokyo(2026, 11, 20, 16))
        try c.apply(.inbound(at: tokyo(2026, 11, 20, 16)), policy: policy)
        // 2h Friday + 2h Tuesday (Monday 11/23 is 勤労感謝の日).
        #expect(c.firstResponseDue == tokyo(2026, 11, 24, 11))
        // Due soon with one business hour left.
        #expect(c.slaWarnAt == tokyo(2026, 11, 24, 10))
        try c.apply(.reply(at: tokyo(2026, 11, 24, 9, 30)), policy: policy)
        #expect(c.firstResponseSeconds == 2.5 * 3600)
    }

    @Test func defaultsByChannel() {
        #expect(SLAPolicy.defaults(for: .chat).firstResponse == 1800)
        #expect(SLAPolicy.defaults(for: .facebook).firstResponse == 86400)
        #expect(SLAPolicy.defaults(for: .email).firstResponse == 86400)
    }
}
