import Clocks
import Foundation
import KotaeServer

extension AppClock {
    /// Kotae's time as real time plus however far the test has moved `clock`
    /// (`clock.advance(by:)`): a test skips a day without sleeping, and what arrives stamped
    /// with the real time (a webhook's timestamp, a stored message) stays in step with it.
    /// Background loops still wait in real time (a loop that ticks each second would
    /// otherwise be stepped through every second of the day skipped), so they see the new
    /// time at their next tick.
    public static func test(_ clock: TestClock<Duration>) -> AppClock {
        let origin = clock.now
        return AppClock(
            sleeper: ContinuousClock(),
            now: {
                let skipped = origin.duration(to: clock.now).components
                return Date().addingTimeInterval(Double(skipped.seconds) + Double(skipped.attoseconds) / 1e18)
            })
    }
}
