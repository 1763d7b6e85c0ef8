import Foundation

/// Exact values gathered for one figure, read as reports show them: count, median and 90th
/// percentile (nearest rank, so each is a value that really occurred), and shares within limits.
/// Never an average alone: one conversation left for a month would move it.
public struct DurationSample: Sendable, Equatable {
    public private(set) var sorted: [Int]

    public init(_ values: [Int]) { sorted = values.sorted() }

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

    public var count: Int { sorted.count }

    /// The value at quantile `q` by nearest rank; nil when empty.
    public func quantile(_ q: Double) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    public var median: Int? { quantile(0.5) }
    public var p90: Int? { quantile(0.9) }

    /// How many values are at most `limit`.
    public func count(atMost limit: Int) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    public func share(atMost limit: Int) -> Double? {
        sorted.isEmpty ? nil : Double(count(atMost: limit)) / Double(sorted.count)
    }

    /// Counts in the half-open bins `(edges[i-1], edges[i]]`, the first from zero, plus one
    /// bin for everything above the last edge.
    public func histogram(edges: [Int]) -> [Int] {
        var out: [Int] = []
        var below = 0
        for e in edges {
            let n = count(atMost: e)
            out.append(n - below)
            below = n
        }
        out.append(sorted.count - below)
        return out
    }
}
