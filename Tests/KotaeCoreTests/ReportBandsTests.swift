import Foundation
import Testing

@testable import KotaeCore

/// Report figures from bands: a median or percentile read from the band counts is the
/// nearest-rank value to the precision reports show it at (a second below 10 minutes, a minute
/// below a day, an hour below 60 days, a day beyond); shares within the survey's limits are
/// exact sums of counts; counts survive their text form joined end to end, as SQL joins them.
@Suite struct ReportBandsTests {
    /// Values from a seeded generator, spread over seconds to weeks like answer times.
    static func values(_ n: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let exponent = Double(state >> 44) / Double(1 << 20) * 23  // 2^0 … 2^23 seconds (97 days)
            return Int(pow(2, exponent))
        }
    }

    /// The step a value is shown to.
    static func step(_ v: Int) -> Int { v < 600 ? 1 : v < 86_400 ? 60 : v < 60 * 86_400 ? 3_600 : 86_400 }

    @Test func theNearestRankIsTheValueSortingGives() {
        for n in [1, 2, 3, 10, 11, 1000] {
            let values = Self.values(n, seed: UInt64(n)), sorted = values.sorted()
            for q in [0.01, 0.5, 0.9, 0.99, 1.0] {
                #expect(NearestRank.quantile(q, of: values) == sorted[min(max(1, Int((q * Double(n)).rounded(.up))), n) - 1], "n \(n) q \(q)")
            }
        }
        #expect(NearestRank.quantile(0.5, of: []) == nil)
        // 10, 20, 30, 40, 100: the median is 30 (not the average 40), the 90th percentile 100.
        #expect(NearestRank.quantile(0.5, of: [100, 10, 40, 20, 30]) == 30 && NearestRank.quantile(0.9, of: [100, 10, 40, 20, 30]) == 100)
    }

    @Test func aFigureFromTheBandsIsTheNearestRankValueToThePrecisionShown() {
        for n in [1, 2, 7, 500, 20_000] {
            let values = Self.values(n, seed: 99 &+ UInt64(n))
            var sample = BandedSample()
            for v in values { sample.add(value: v) }
            for q in [0.5, 0.9, 0.99] {
                let exact = NearestRank.quantile(q, of: values)!
                let shown = sample.quantile(q)!
                // Never above the value, and less than one step of what is shown below it.
                #expect(shown <= exact && exact - shown < Self.step(exact), "n \(n) q \(q): \(shown) for \(exact)")
                #expect(shown / Self.step(exact) == exact / Self.step(exact), "n \(n) q \(q)")
            }
        }
        #expect(BandedSample().quantile(0.5) == nil)
        // Worked examples: below 10 minutes exact; 41 min 11 s is 41 min; 3 days 17 h 30 min is 3 days 17 h.
        for (value, shown) in [(599, 599), (2_471, 2_460), (900, 900), (7_200, 7_200), (322_200, 320_400), (86 * 86_400 + 5_000, 86 * 86_400)] {
            var s = BandedSample()
            s.add(value: value)
            #expect(s.quantile(0.5) == shown, "\(value)")
        }
    }

    @Test func noBandCrossesAStepAndEveryLimitEndsABand() {
        let starts = ReportBands.starts
        #expect(starts.first == 0 && starts == starts.sorted() && Set(starts).count == starts.count)
        for (a, b) in zip(starts, starts.dropFirst()) {
            let step = Self.step(a)
            #expect(a / step == (b - 1) / step, "band \(a)..<\(b) crosses a step")
        }
        for limit in CustomerExpectation.limits + [1_800, 86_400] {
            #expect(starts.contains(limit) && starts.contains(limit + 1), "\(limit)")
        }
        #expect(Set((1...5).map { ReportBands.band(of: $0) }).count == 5)
        #expect(ReportBands.band(of: 300) != ReportBands.band(of: 301))
        #expect(ReportBands.band(of: 59.6) == ReportBands.band(of: 60))
        #expect(ReportBands.band(of: 100_000_000) == ReportBands.count - 1 && ReportBands.band(of: -5) == 0)
        // However many values, a rollup counts at most this many bands.
        #expect(ReportBands.count < 4_000)
    }

    @Test func sharesAndBinsCountEachValueOnce() {
        var s = BandedSample()
        for v in [300, 301, 900, 1800, 86_400, 300_000] { s.add(value: v) }
        #expect(s.count(atMost: 300) == 1 && s.count(atMost: 900) == 3)
        #expect(s.histogram(edges: [300, 900, 1800, 3600, 86_400, 259_200]) == [1, 2, 1, 0, 1, 0, 1])
    }

    @Test func countsAndListsKeepTheirValuesThroughTextJoinedEndToEnd() {
        let a = [0, 1, 31, 32, 1023, 1024, 86_400, 31_536_000], b = [5, 5]
        #expect(DurationList.decode(DurationList.encode(a.map(Double.init)) + DurationList.encode(b.map(Double.init))) == a + b)
        #expect(DurationList.encode([59.6]) == DurationList.encode([60]))
        var one = BandCounts(), two = BandCounts()
        one.add(3, toBand: 40)
        one.add(1, toBand: 2)
        two.add(2, toBand: 40)
        two.add(1, toBand: 70)
        let joined = BandCounts(text: one.text + two.text)
        #expect(joined.counts == [2: 1, 40: 5, 70: 1])
        var back = joined
        back.add(-1, toBand: 70)
        #expect(back.counts == [2: 1, 40: 5] && BandCounts(text: back.text) == back)
    }
}
