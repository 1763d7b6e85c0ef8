import Foundation
import Testing

@testable import KotaeCore

/// Report figures from bands: a median or percentile found through the band counts and then
/// selected among that band's values is the nearest-rank value of all of them; shares within
/// the survey's limits are sums of counts; counts and lists survive their text form joined end
/// to end, as SQL joins them.
@Suite struct ReportBandsTests {
    /// Values from a seeded generator, spread over seconds to weeks like answer times.
    static func values(_ n: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let exponent = Double(state >> 44) / Double(1 << 20) * 20  // 2^0 … 2^20 seconds
            return Int(pow(2, exponent))
        }
    }

    @Test func selectionGivesTheNearestRankThatSortingGives() {
        for n in [1, 2, 3, 10, 11, 1000, 4097] {
            let values = Self.values(n, seed: UInt64(n)), sorted = values.sorted()
            for q in [0.01, 0.5, 0.9, 0.99, 1.0] {
                #expect(NearestRank.quantile(q, of: values) == sorted[min(max(1, Int((q * Double(n)).rounded(.up))), n) - 1], "n \(n) q \(q)")
            }
        }
        #expect(NearestRank.quantile(0.5, of: []) == nil)
        // 10, 20, 30, 40, 100: the median is 30 (not the average 40), the 90th percentile 100.
        #expect(NearestRank.quantile(0.5, of: [100, 10, 40, 20, 30]) == 30 && NearestRank.quantile(0.9, of: [100, 10, 40, 20, 30]) == 100)
    }

    @Test func aFigureFoundThroughItsBandIsTheExactNearestRankValue() {
        for n in [1, 2, 7, 500, 20_000] {
            let values = Self.values(n, seed: 99 &+ UInt64(n))
            var sample = BandedSample()
            for v in values { sample.add(value: v) }
            let byBand = Dictionary(grouping: values) { ReportBands.band(of: $0) }
            for q in [0.5, 0.9, 0.99] {
                let (band, offset) = try! #require(sample.locate(q))
                let sorted = byBand[band]!.sorted()
                #expect(sorted[offset] == NearestRank.quantile(q, of: values), "n \(n) q \(q)")
            }
            // The median's band holds a small part of many values: that is what a report reads.
            if n == 20_000, let (band, _) = sample.locate(0.5) { #expect(byBand[band]!.count < n / 10) }
        }
        #expect(BandedSample().locate(0.5) == nil)
    }

    @Test func everyLimitReportsUseIsABandEdgeAndRatingsHaveABandEach() {
        for limit in CustomerExpectation.limits { #expect(ReportBands.edges.contains(limit)) }
        #expect(Set((1...5).map { ReportBands.band(of: $0) }).count == 5)
        #expect(ReportBands.band(of: 300) != ReportBands.band(of: 301))
        #expect(ReportBands.edges[ReportBands.band(of: 300)] == 300 && ReportBands.edges[ReportBands.band(of: 299)] < 300)
        #expect(ReportBands.band(of: 59.6) == ReportBands.band(of: 60))
        #expect(ReportBands.band(of: 100_000_000) == ReportBands.count - 1)
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
