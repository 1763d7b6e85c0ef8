import KotaeCore
import Foundation

/// Shopify's cost-based leaky bucket for one store, as its last answer described it
/// (`extensions.cost.throttleStatus`): a call waits here until the bucket holds what it may
/// cost, rather than being sent to come back `THROTTLED`. Sizes differ by plan (Standard
/// restores 100 points a second, Plus 1,000), so nothing here is assumed beyond the first call.
public actor ShopifyCostBucket {
    public struct Status: Sendable, Equatable, Decodable {
        public var maximumAvailable: Double
        public var currentlyAvailable: Double
        public var restoreRate: Double

        public init(maximumAvailable: Double, currentlyAvailable: Double, restoreRate: Double) {
            self.maximumAvailable = maximumAvailable
            self.currentlyAvailable = currentlyAvailable
            self.restoreRate = restoreRate
        }
    }

    private var last: (status: Status, at: Date)?
    /// What time it is (tests hold it still, so a slow machine does not refill the bucket).
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Seconds to wait before sending a call of `cost` points; the points are set aside, so
    /// calls sent together queue behind each other.
    public func reserve(cost: Double) -> TimeInterval {
        let now = now()
        guard let (known, at) = last, known.restoreRate > 0 else { return 0 }
        var status = known
        let restored = max(0, now.timeIntervalSince(at)) * status.restoreRate
        status.currentlyAvailable = min(status.maximumAvailable, status.currentlyAvailable + restored)
        let needed = min(cost, status.maximumAvailable)
        let wait = status.currentlyAvailable >= needed ? 0 : (needed - status.currentlyAvailable) / status.restoreRate
        status.currentlyAvailable -= needed
        last = (status, now)
        return wait
    }

    /// What Shopify said after a call.
    public func update(_ status: Status) {
        last = (status, now())
    }

    /// After `THROTTLED`: how long until the bucket holds `requested` points again.
    public static func wait(requested: Double, status: Status) -> TimeInterval {
        guard status.restoreRate > 0 else { return 1 }
        return max(0, (min(requested, status.maximumAvailable) - status.currentlyAvailable) / status.restoreRate).rounded(.up)
    }
}
