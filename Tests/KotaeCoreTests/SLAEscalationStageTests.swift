import Foundation
import Testing

@testable import KotaeCore

/// Which SLA alert is due: the latest moment passed since the last look, a warning never
/// before the customer wrote, the breach always.
@Suite struct SLAEscalationStageTests {
    let started = Date(timeIntervalSince1970: 1_800_000_000)
    var due: Date { started.addingTimeInterval(7200) }
    let offsets: [TimeInterval] = [3600, 900]

    func stage(since: TimeInterval, now: TimeInterval, offsets: [TimeInterval]? = nil, target: TimeInterval = 7200) -> TimeInterval? {
        SLAEscalation.stage(
            due: started.addingTimeInterval(target), started: started, offsets: offsets ?? self.offsets,
            since: started.addingTimeInterval(since), now: started.addingTimeInterval(now))
    }

    @Test func eachMomentOnceAndOnlyTheLatestAfterAGap() {
        #expect(stage(since: 0, now: 3599) == nil)
        #expect(stage(since: 0, now: 3600) == 3600)
        #expect(stage(since: 3600, now: 6299) == nil, "the hour's warning is not sent twice")
        #expect(stage(since: 3600, now: 6300) == 900)
        #expect(stage(since: 6300, now: 7200) == 0)
        #expect(stage(since: 7200, now: 90_000) == nil, "the breach is alerted once")
        // A worker away from before the hour's warning until after the breach: only the breach.
        #expect(stage(since: 1000, now: 8000) == 0)
    }

    @Test func aWarningLongerThanTheTargetIsNotSent() {
        // A 30-minute chat target with warnings an hour and 15 minutes before.
        #expect(stage(since: -60, now: 1, target: 1800) == nil)
        #expect(stage(since: 1, now: 900, target: 1800) == 900)
        #expect(stage(since: 900, now: 1800, target: 1800) == 0)
        // No warnings at all: the breach still alerts.
        #expect(stage(since: 0, now: 7200, offsets: []) == 0)
    }
}
