import Foundation
import KotaeCore
import KotaeStore

/// Cells summed per metric: counts, and each value metric's counts per band, which give its
/// shares, histograms, medians and 90th percentiles (to the precision reports show).
struct Totals {
    private var counts: [ReportMetric: Int] = [:]
    private var samples: [ReportMetric: BandedSample] = [:]

    /// `values`: the metrics whose bands are summed (all when nil); the others are counted only.
    init(_ cells: [ReportCell], values: Set<ReportMetric>? = nil) {
        for c in cells {
            counts[c.metric, default: 0] += c.count
            if !c.bands.isEmpty, values?.contains(c.metric) ?? true { samples[c.metric, default: BandedSample()].add(c.bands) }
        }
    }

    func count(_ m: ReportMetric) -> Int { counts[m] ?? 0 }

    /// How many values `m` has, and their counts per band.
    func sample(_ m: ReportMetric) -> BandedSample { samples[m] ?? BandedSample() }

    /// Nil when there are no values.
    func median(_ m: ReportMetric) -> Int? { samples[m]?.quantile(0.5) }
    func p90(_ m: ReportMetric) -> Int? { samples[m]?.quantile(0.9) }

    /// How many ratings of 1 to 5 (ratings have a band each).
    func ratings() -> [Int] {
        let s = sample(.csat)
        return (1...5).map { Int(s.counts[ReportBands.band(of: $0)]) }
    }

    /// The share of ratings of 4 or 5; nil when none.
    var csatScore: Double? {
        let s = sample(.csat)
        return s.count == 0 ? nil : Double(s.count - s.count(atMost: 3)) / Double(s.count)
    }
}
