import Foundation

/// Medians and percentiles as reports show them: by nearest rank, so each is a value that
/// really occurred (reports give it to their precision: `BandedSample.quantile`). Never an
/// average alone: one conversation left for a month would move it.
public enum NearestRank {
    /// The rank (from one) of quantile `q` among `n` values.
    public static func rank(_ q: Double, _ n: Int) -> Int { min(max(1, Int((q * Double(n)).rounded(.up))), n) }

    /// The value at quantile `q` of `values`; nil when there are none.
    public static func quantile(_ q: Double, of values: [Int]) -> Int? {
        values.isEmpty ? nil : values.sorted()[rank(q, values.count) - 1]
    }
}
