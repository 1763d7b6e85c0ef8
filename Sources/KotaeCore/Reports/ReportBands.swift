import Foundation

/// Bands of whole seconds (or ratings) for reports. A daily rollup counts its values per band
/// and keeps each band's exact values apart, so a median over a year reads the counts, then the
/// exact values of the one band that holds its rank: a few percent of the values, and still the
/// exact nearest-rank value. Every limit reports compare against (the survey's, the channels'
/// usual expectations) is an edge, so a share within one is a sum of counts.
public enum ReportBands {
    /// The upper edge (inclusive) of each band; the last band holds everything above.
    /// 0…15 one value each (ratings are exact), then about 15 % wider each step, with the limits
    /// reports use added.
    public static let edges: [Int] = {
        var out = Array(0...15)
        var edge = 15.0
        while edge < 400 * 86_400 {
            edge = (edge * 1.15).rounded(.up)
            out.append(Int(edge))
        }
        let limits = CustomerExpectation.limits + [60, 600, 7_200, 14_400, 28_800, 172_800, 604_800]
        return Array(Set(out + limits)).sorted()
    }()

    /// How many bands there are.
    public static var count: Int { edges.count + 1 }

    /// The band that holds `value`.
    public static func band(of value: Int) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if value <= edges[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The band of a duration as rollups keep it (whole seconds).
    public static func band(of seconds: Double) -> Int { band(of: Int(max(0, seconds.rounded()))) }
}

/// One rollup's counts per band, stored sparsely as "band, count" pairs in `DurationList` text.
/// Texts of several rollups joined end to end read as their sum, so SQL can add them up.
public struct BandCounts: Sendable, Equatable {
    /// Band → count, only bands with values.
    public private(set) var counts: [Int: Int] = [:]

    public init() {}

    public init(text: String) {
        var numbers: [Int] = []
        DurationList.decode(text, into: &numbers)
        var i = 0
        while i + 1 < numbers.count {
            counts[numbers[i], default: 0] += numbers[i + 1]
            i += 2
        }
        counts = counts.filter { $0.value != 0 }
    }

    public var text: String {
        DurationList.encode(counts.keys.sorted().flatMap { [Double($0), Double(counts[$0]!)] })
    }

    public var isEmpty: Bool { counts.isEmpty }

    public mutating func add(_ delta: Int, toBand band: Int) {
        let n = counts[band, default: 0] + delta
        counts[band] = n == 0 ? nil : n
    }
}

/// A figure's values counted per band, summed over the rollups it covers: its count, shares
/// within limits and histograms directly, and where its median or percentile lies.
public struct BandedSample: Sendable, Equatable {
    public private(set) var counts: [Int]
    public private(set) var count = 0

    public init() { counts = Array(repeating: 0, count: ReportBands.count) }

    public mutating func add(_ bands: BandCounts) {
        for (band, n) in bands.counts where band < counts.count {
            counts[band] += n
            count += n
        }
    }

    public mutating func add(value: Int) {
        counts[ReportBands.band(of: value)] += 1
        count += 1
    }

    /// Where the nearest-rank `q`-quantile lies: its band, and its place among that band's
    /// values in ascending order (from zero). Nil when there are no values.
    public func locate(_ q: Double) -> (band: Int, offset: Int)? {
        guard count > 0 else { return nil }
        var index = NearestRank.rank(q, count) - 1
        for (band, n) in counts.enumerated() {
            if index < n { return (band, index) }
            index -= n
        }
        return nil
    }

    /// How many values are at most `limit`, which must be one of the bands' edges.
    public func count(atMost limit: Int) -> Int {
        precondition(ReportBands.edges.contains(limit), "\(limit) is not a band edge")
        return counts[0...ReportBands.band(of: limit)].reduce(0, +)
    }

    /// Counts in `(edges[i-1], edges[i]]`, the first from zero, plus one for everything above
    /// the last edge; every edge must be a band edge.
    public func histogram(edges: [Int]) -> [Int] {
        var out: [Int] = []
        var below = 0
        for edge in edges {
            let n = count(atMost: edge)
            out.append(n - below)
            below = n
        }
        return out + [count - below]
    }
}
