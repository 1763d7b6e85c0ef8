import Foundation

/// Exponential backoff with full jitter: attempt n waits a random time up to
/// base·2^(n-1), capped, so many failing jobs do not retry in lockstep.
struct Backoff: Sendable {
    var base: TimeInterval = 2
    var cap: TimeInterval = 3600

    func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0.5...1)) -> TimeInterval {
        let exp = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return exp * random
    }
}
