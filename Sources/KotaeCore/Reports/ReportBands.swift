import Foundation

/// Bands of whole seconds (or ratings) for reports, one step of what a report shows: a second
/// below 10 minutes, a minute below a day, an hour below 60 days, a day beyond (`ReportFormat`).
/// Rollups count their values per band, so a median over a year of a million conversations
/// reads a few hundred counts per rollup, however many values there are, and is the
/// nearest-rank value to the precision it is shown at (the start of its band). Every limit
/// reports compare against (the survey's, the channels' usual expectations) ends a band, so a
/// share within one is a sum of counts and exact.
public enum ReportBands {
    /// Where each precision starts, and its step.
    static let steps: [(from: Int, step: Int)] = [(0, 1), (600, 60), (86_400, 3_600), (60 * 86_400, 86_400)]
    /// Everything from here on is one band (over a year: no report range is longer).
    static let last = 400 * 86_400

    /// The limits reports count "at most" against (the survey's, which include the channels'
    /// usual expectations); each is a band of its own.
    public static let limits: [Int] = CustomerExpectation.limits

    /// The first value of each band, ascending, from 0. Rollups store band numbers: a change
    /// here needs a migration that rebuilds them from the fact rows (as 40 does).
    public static let starts: [Int] = {
        var out: [Int] = []
        for (i, s) in steps.enumerated() {
            let end = i + 1 < steps.count ? steps[i + 1].from : last
            out += Array(stride(from: s.from, to: end, by: s.step))
        }
        out.append(last)
        // A limit inside a coarser step gets a band of its own ([limit, limit + 1)), so "within
        // the limit" ends exactly at it; the band after still shows as the limit's step does.
        return Array(Set(out + limits.flatMap { [$0, $0 + 1] })).sorted()
    }()

    /// How many bands there are.
    public static var count: Int { starts.count }

    /// The band that holds `value` (at least 0).
    public static func band(of value: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= value { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The band of a duration as rollups keep it (whole seconds).
    public static func band(of seconds: Double) -> Int { band(of: Int(max(0, seconds.rounded()))) }

    /// A band's value as reports give it: its first.
    public static func value(of band: Int) -> Int { starts[min(max(0, band), starts.count - 1)] }
}

/// One rollup's counts per band, stored sparsely as "band, count" pairs in `DurationList` text.
/// Texts of several rollups joined end to end read as their sum, so SQL can add them up; read,
/// they stay pairs (a band may come more than once) until a sample adds them.
public struct BandCounts: Sendable, Equatable {
    /// Band, count, band, count…
    private var pairs: [Int] = []

    public init() {}

    public init(text: String) { DurationList.decode(text, into: &pairs) }

    public init(counts: [Int: Int]) { pairs = counts.keys.sorted().flatMap { [$0, counts[$0]!] } }

    /// Band → count, only bands with values.
    public var counts: [Int: Int] {
        var out: [Int: Int] = [:]
        forEach { out[$0, default: 0] += $1 }
        return out.filter { $0.value != 0 }
    }

    public var text: String {
        let c = counts
        return DurationList.encode(c.keys.sorted().flatMap { [Double($0), Double(c[$0]!)] })
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public mutating func add(_ delta: Int, toBand band: Int) {
        pairs += [band, delta]
    }

    /// Each pair as read.
    public func forEach(_ body: (_ band: Int, _ count: Int) -> Void) {
        var i = 0
        while i + 1 < pairs.count {
            body(pairs[i], pairs[i + 1])
            i += 2
        }
    }

    public static func == (a: BandCounts, b: BandCounts) -> Bool { a.counts == b.counts }
}

/// A figure's values counted per band, summed over the rollups it covers: its count, shares
/// within limits, histograms, medians and percentiles.
public struct BandedSample: Sendable, Equatable {
    public private(set) var counts: [Int32]
    public private(set) var count = 0

    public init() { counts = Array(repeating: 0, count: ReportBands.count) }

    public mutating func add(_ bands: BandCounts) {
        bands.forEach { band, n in
            guard band >= 0, band < counts.count else { return }
            counts[band] += Int32(truncatingIfNeeded: n)
            count += n
        }
    }

    public mutating func add(value: Int) {
        counts[ReportBands.band(of: value)] += 1
        count += 1
    }

    /// The nearest-rank `q`-quantile to the report's precision: the start of the band that holds
    /// it. Nil when there are no values.
    public func quantile(_ q: Double) -> Int? {
        guard count > 0 else { return nil }
        var index = NearestRank.rank(q, count) - 1
        for (band, n) in counts.enumerated() {
            if index < Int(n) { return ReportBands.value(of: band) }
            index -= Int(n)
        }
        return nil
    }

    /// How many values are at most `limit`, one of `ReportBands.limits` or below 600.
    public func count(atMost limit: Int) -> Int {
        precondition(ReportBands.starts.contains(limit + 1), "\(limit) does not end a band")
        return counts[0...ReportBands.band(of: limit)].reduce(0) { $0 + Int($1) }
    }

    /// Counts in `(edges[i-1], edges[i]]`, the first from zero, plus one for everything above
    /// the last edge; every edge must end a band.
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
