import Foundation

/// Medians and percentiles as reports show them: by nearest rank, so each is a value that
/// really occurred. Never an average alone: one conversation left for a month would move it.
/// A band of a year holds many values, so nothing here sorts them: a percentile is a selection.
public enum NearestRank {
    /// The rank (from one) of quantile `q` among `n` values.
    public static func rank(_ q: Double, _ n: Int) -> Int { min(max(1, Int((q * Double(n)).rounded(.up))), n) }

    /// The value at quantile `q` of `values`; nil when there are none.
    public static func quantile(_ q: Double, of values: [Int]) -> Int? {
        values.isEmpty ? nil : value(at: rank(q, values.count) - 1, of: values)
    }

    /// The `k`-th smallest (from zero) of `values`.
    public static func value(at k: Int, of values: [Int]) -> Int {
        var work = values
        return select(&work, k, in: 0...(values.count - 1))
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
