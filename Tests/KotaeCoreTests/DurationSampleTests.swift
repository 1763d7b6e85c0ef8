import Foundation
import Testing

@testable import KotaeCore

/// Report figures over exact values: nearest-rank percentiles by selection agree with sorting,
/// lists survive their text form, and a reopening's retraction removes one occurrence.
@Suite struct DurationSampleTests {
    @Test func selectionGivesTheNearestRankThatSortingGives() {
        var seed: UInt64 = 7
        for n in [1, 2, 3, 10, 11, 1000, 4097] {
            let values = (0..<n).map { _ -> Int in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(seed >> 40) % 500
            }
            let sorted = values.sorted(), s = DurationSample(values)
            for q in [0.01, 0.5, 0.9, 0.99, 1.0] {
                #expect(s.quantile(q) == sorted[min(max(1, Int((q * Double(n)).rounded(.up))), n) - 1], "n \(n) q \(q)")
            }
        }
        #expect(DurationSample([]).median == nil)
        // 10, 20, 30, 40, 100: the median is 30 (not the average 40), the 90th percentile 100.
        #expect(DurationSample([100, 10, 40, 20, 30]).median == 30 && DurationSample([100, 10, 40, 20, 30]).p90 == 100)
    }

    @Test func sharesAndBinsCountEachValueOnce() {
        let s = DurationSample([300, 301, 900, 1800, 86_400, 300_000])
        #expect(s.count(atMost: 300) == 1 && s.share(atMost: 900) == 0.5)
        #expect(s.histogram(edges: [300, 900, 1800, 3600, 86_400, 259_200]) == [1, 2, 1, 0, 1, 0, 1])
    }

    @Test func listsKeepTheirValuesThroughTextAndAppending() {
        let a = [0, 1, 31, 32, 1023, 1024, 86_400, 31_536_000], b = [5, 5]
        #expect(DurationList.decode(DurationList.encode(a.map(Double.init)) + DurationList.encode(b.map(Double.init))) == a + b)
        #expect(DurationList.encode([59.6]) == DurationList.encode([60]))
        #expect(DurationSample([600, 77_400, 11_400], removing: [11_400]).sorted == [600, 77_400])
        #expect(DurationSample([5, 5, 7], removing: [5]).sorted == [5, 7])
    }
}
