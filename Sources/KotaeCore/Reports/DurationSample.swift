import Foundation

/// Exact values gathered for one figure, read as reports show them: count, median and 90th
/// percentile (nearest rank, so each is a value that really occurred), and shares within limits.
/// Never an average alone: one conversation left for a month would move it. A year holds
/// millions of values, so nothing here sorts them all: a percentile is a selection, a share a count.
public struct DurationSample: Sendable, Equatable {
    public let values: [Int]
    /// Kept from the start: every report shows both (one copy, two selections).
    public let median: Int?
    public let p90: Int?

    public init(_ values: [Int]) {
        self.values = values
        guard !values.isEmpty else {
            (median, p90) = (nil, nil)
            return
        }
        var work = values
        let high = Self.rank(0.9, values.count) - 1, low = Self.rank(0.5, values.count) - 1
        let p90 = Self.select(&work, high, in: 0...(values.count - 1))
        // Everything before `high` is now at most p90: the median is selected among those.
        self.median = low == high ? p90 : Self.select(&work, low, in: 0...high)
        self.p90 = p90
    }

    static func rank(_ q: Double, _ n: Int) -> Int { min(max(1, Int((q * Double(n)).rounded(.up))), n) }

    /// `values` less one occurrence of each of `removed` (full resolutions taken back by a reopening).
    public init(_ values: [Int], removing removed: [Int]) {
        guard !removed.isEmpty else {
            self.init(values)
            return
        }
        var pending: [Int: Int] = [:]
        for r in removed { pending[r, default: 0] += 1 }
        var kept: [Int] = []
        kept.reserveCapacity(values.count)
        for v in values {
            if let n = pending[v], n > 0 { pending[v] = n - 1 } else { kept.append(v) }
        }
        self.init(kept)
    }

    public var count: Int { values.count }

    /// The values in order (for tests and small samples).
    public var sorted: [Int] { values.sorted() }

    /// The same values, whatever their order.
    public static func == (a: DurationSample, b: DurationSample) -> Bool { a.sorted == b.sorted }

    /// The value at quantile `q` by nearest rank; nil when empty.
    public func quantile(_ q: Double) -> Int? {
        guard !values.isEmpty else { return nil }
        var work = values
        return Self.select(&work, Self.rank(q, values.count) - 1, in: 0...(values.count - 1))
    }

    /// How many values are at most `limit`.
    public func count(atMost limit: Int) -> Int { values.reduce(0) { $0 + ($1 <= limit ? 1 : 0) } }

    public func share(atMost limit: Int) -> Double? {
        values.isEmpty ? nil : Double(count(atMost: limit)) / Double(values.count)
    }

    /// Counts in the half-open bins `(edges[i-1], edges[i]]`, the first from zero, plus one
    /// bin for everything above the last edge (`edges` ascending).
    public func histogram(edges: [Int]) -> [Int] {
        var out = Array(repeating: 0, count: edges.count + 1)
        for v in values {
            var lo = 0, hi = edges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if v <= edges[mid] { hi = mid } else { lo = mid + 1 }
            }
            out[lo] += 1
        }
        return out
    }

    /// The `k`-th smallest (from zero) of `a[range]`, reordering it so that what comes before
    /// `k` is at most that value (Hoare's selection, middle pivot of three).
    static func select(_ a: inout [Int], _ k: Int, in range: ClosedRange<Int>) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let pivot = Swift.max(Swift.min(a[lo], a[mid]), Swift.min(Swift.max(a[lo], a[mid]), a[hi]))
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}
