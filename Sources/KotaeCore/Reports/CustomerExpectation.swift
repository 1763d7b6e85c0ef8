import Foundation

/// What customers expect of a first answer (the seed survey), to measure a shop against.
public enum CustomerExpectation {
    /// The survey's buckets: the share of customers who expect an answer within each limit.
    public static let limits: [Int] = [300, 900, 1800, 3600, 86_400, 259_200]
    public static let shares: [Double] = [0.09, 0.11, 0.12, 0.10, 0.25, 0.33]

    /// The share of customers who expect an answer within each limit or sooner.
    public static var cumulativeShares: [Double] {
        var sum = 0.0
        return shares.map {
            sum += $0
            return (sum * 100).rounded() / 100
        }
    }

    /// The answer time most customers of a channel expect, and the share who expect it
    /// (phone and chat within 30 minutes 59 %, social within a day 52 %, email within a day 75 %).
    public static func channelDefault(_ kind: ChannelKind) -> (seconds: Int, share: Double) {
        switch kind {
        case .chat: (1800, 0.59)
        case .facebook, .instagram, .x, .line: (86_400, 0.52)
        case .email, .form, .api: (86_400, 0.75)
        }
    }

    /// The share of customers whose expectation was met: each survey bucket's share times the
    /// share of first responses within its limit (`within`, one per limit).
    public static func met(within: [Double]) -> Double {
        zip(shares, within).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
