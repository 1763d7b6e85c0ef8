import Foundation

/// Kotae's time: what "now" is where a rule depends on it (Meta's messaging window, LINE's
/// reply-token lifetime, SLA states, snoozes waking) and the clock background loops wait on.
/// The system's in production; in tests a clock that moves only when the test advances it
/// (swift-clocks' `TestClock`), so a 24-hour window or a 50-second token is tested without
/// sleeping and without backdating what arrives.
public struct AppClock: Sendable {
    /// What loops sleep on.
    public let sleeper: any Clock<Duration>
    private let read: @Sendable () -> Date

    public init(sleeper: any Clock<Duration>, now: @escaping @Sendable () -> Date) {
        self.sleeper = sleeper
        self.read = now
    }

    public var now: Date { read() }

    public static let system = AppClock(sleeper: ContinuousClock(), now: { Date() })

    func sleep(for duration: Duration) async throws { try await sleeper.sleep(for: duration) }
}
