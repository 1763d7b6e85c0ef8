import Foundation
import KotaeCore
import KotaeStore

/// Cells summed per metric: counts, each value metric's counts per band, and (read from the
/// fact rows) its exact values. Medians and 90th percentiles are filled in by `ReportSampler`,
/// which reads only the bands that hold them.
struct Totals {
    private var counts: [ReportMetric: Int] = [:]
    private var samples: [ReportMetric: BandedSample] = [:]
    /// Exact values, when every cell came from the fact rows.
    fileprivate var exact: [ReportMetric: [Int]]?
    /// The days and keys of the cells summed: where a band's values are taken from.
    fileprivate var at: Set<CellKey> = []
    fileprivate var quantiles: [ReportMetric: [Double: Int]] = [:]

    init(_ cells: [ReportCell]) {
        exact = cells.allSatisfy { $0.values != nil } ? [:] : nil
        for c in cells {
            counts[c.metric, default: 0] += c.count
            at.insert(c.at)
            if !c.bands.isEmpty { samples[c.metric, default: BandedSample()].add(c.bands) }
            if let values = c.values, !values.isEmpty { exact?[c.metric, default: []].append(contentsOf: values) }
        }
    }

    func count(_ m: ReportMetric) -> Int { counts[m] ?? 0 }

    /// How many values `m` has, and their counts per band.
    func sample(_ m: ReportMetric) -> BandedSample { samples[m] ?? BandedSample() }

    /// Filled by `ReportSampler.fill`; nil when there are no values (or they were not asked for).
    func median(_ m: ReportMetric) -> Int? { quantiles[m]?[0.5] }
    func p90(_ m: ReportMetric) -> Int? { quantiles[m]?[0.9] }

    /// How many ratings of 1 to 5 (ratings have a band each).
    func ratings() -> [Int] {
        let s = sample(.csat)
        return (1...5).map { s.counts[ReportBands.band(of: $0)] }
    }

    /// The share of ratings of 4 or 5; nil when none.
    var csatScore: Double? {
        let s = sample(.csat)
        return s.count == 0 ? nil : Double(s.count - s.count(atMost: 3)) / Double(s.count)
    }
}

/// Fills medians and 90th percentiles of totals read one way (`cells`'s days, filter, key and
/// business choice): each figure's band and place in it come from the counts; then each band
/// that holds some figure is read once, for the days and keys of the totals that need it,
/// and the figure is selected among that band's exact values. The reads run side by side.
struct ReportSampler {
    let reports: Reports
    let days: ClosedRange<Int>
    let filter: ReportFilter
    let keyedBy: ReportDimension?
    let byDay: Bool
    let business: Bool

    static let quantiles = [0.5, 0.9]

    private struct Need {
        let index: Int
        let q: Double
        let offset: Int
    }

    private struct BandRead: Hashable {
        let metric: ReportMetric
        let band: Int
    }

    /// `totals` with the medians and 90th percentiles of `metrics(i)` for the i-th.
    func filled(_ totals: [Totals], metrics: (Int) -> [ReportMetric]) async throws -> [Totals] {
        var totals = totals
        var needs: [BandRead: [Need]] = [:]
        for i in totals.indices {
            for m in metrics(i) {
                if let exact = totals[i].exact {
                    for q in Self.quantiles { totals[i].quantiles[m, default: [:]][q] = NearestRank.quantile(q, of: exact[m] ?? []) }
                    continue
                }
                let sample = totals[i].sample(m)
                for q in Self.quantiles {
                    guard let (band, offset) = sample.locate(q) else { continue }
                    needs[BandRead(metric: m, band: band), default: []].append(Need(index: i, q: q, offset: offset))
                }
            }
        }
        let reads = try await withThrowingTaskGroup(of: (BandRead, [CellKey: [Int]]).self) { group in
            for (read, list) in needs {
                var places = Set<CellKey>()
                for need in list { places.formUnion(totals[need.index].at) }
                let days = byDay ? Set(places.compactMap(\.day)).sorted() : Array(self.days)
                let keys = keyedBy == nil ? nil : Set(places.compactMap(\.key)).sorted()
                group.addTask { [self] in
                    let values = try await reports.bandValues(
                        read.metric, band: read.band, days: days, filter: filter, keyedBy: keyedBy, keys: keys, byDay: byDay, business: business)
                    return (read, values)
                }
            }
            var out: [BandRead: [CellKey: [Int]]] = [:]
            for try await (read, values) in group { out[read] = values }
            return out
        }
        for (read, list) in needs {
            let byPlace = reads[read] ?? [:]
            for need in list {
                var values: [Int] = []
                for place in totals[need.index].at { values += byPlace[place] ?? [] }
                // The counts and the band's values are written together; should they ever
                // disagree, the figure is left unknown rather than wrong.
                guard need.offset < values.count else { continue }
                totals[need.index].quantiles[read.metric, default: [:]][need.q] = NearestRank.value(at: need.offset, of: values)
            }
        }
        return totals
    }
}
