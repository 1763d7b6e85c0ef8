import Foundation
import Testing
@testable import KotaeCore

/// Issue 10, parts 2 and 3: impossible times never reach a clock, and business time over a
/// long range is counted a week at a time with the same answer as walking every day.
@Suite struct BoundedTimeTests {
    /// The old day-by-day walk, kept here as the reference the week-at-a-time count must match.
    func naiveDuration(_ h: BusinessHours, _ start: Date, _ end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = h.localDate(of: start)
        while day <= h.localDate(of: end) {
            for (open, close) in h.openIntervals(on: day) {
                let a = max(open, start), b = min(close, end)
                if b > a { total += b.timeIntervalSince(a) }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    func shops() -> [BusinessHours] {
        var closedWeek = BusinessHours.weekdays(from: 9, to: 18)
        closedWeek.closedDays = [LocalDate(2026, 12, 29), LocalDate(2026, 12, 30), LocalDate(2026, 12, 31), LocalDate(2027, 1, 4)]
        let split = BusinessHours(
            timeZone: "Asia/Tokyo",
            week: [
                1: [.init(start: 540, end: 720), .init(start: 780, end: 1080)],
                6: [.init(start: 600, end: 960)], 7: [.init(start: 0, end: 1440)],
            ],
            japaneseHolidays: true)
        // A zone with daylight saving: the weeks with a change are counted exactly.
        let newYork = BusinessHours(
            timeZone: "America/New_York", week: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [BusinessHours.Span(start: 60, end: 1440)]) }))
        return [closedWeek, split, newYork]
    }

    @Test func weekAtATimeMatchesTheDayByDayWalk() {
        var rng = SystemRandomNumberGenerator()
        let base = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        for hours in shops() {
            for _ in 0..<40 {
                let start = base.addingTimeInterval(Double.random(in: 0...(2 * 365 * 86400), using: &rng))
                let end = start.addingTimeInterval(Double.random(in: 0...(200 * 86400), using: &rng))
                #expect(hours.duration(from: start, to: end) == naiveDuration(hours, start, end), "\(hours.timeZone) \(start) → \(end)")
                // adding and subtracting undo each other across many weeks.
                let span = Double.random(in: 1...(300 * 3600), using: &rng)
                if let later = hours.adding(span, to: start) {
                    #expect(abs(hours.duration(from: start, to: later) - span) < 0.001)
                    if let back = hours.subtracting(span, from: later) {
                        #expect(abs(hours.duration(from: back, to: later) - span) < 0.001)
                    }
                }
            }
        }
    }

    @Test func aDateFromYearOneIsCountedFromTwoThousandNotWalkedFrom() {
        let hours = BusinessHours.weekdays(from: 9, to: 18)
        let yearOne = Date(timeIntervalSince1970: -62_135_596_800)
        let now = Date()
        #expect(hours.duration(from: yearOne, to: now) == hours.duration(from: BusinessHours.calendarRange.lowerBound, to: now))
        #expect(
            hours.duration(from: .distantPast, to: .distantFuture)
                == hours.duration(
                    from: BusinessHours.calendarRange.lowerBound,
                    to: BusinessHours.calendarRange.upperBound))
        #expect(hours.adding(.infinity, to: now) == nil)
        #expect(hours.adding(.nan, to: now) == nil)
        #expect(hours.subtracting(1e300, from: now) == nil)
    }

    static let extremes: [Double] = [
        -1e24, 1e24, -9.3e18, 9.3e18, -1e308, 1e308, -1, 0, 1, 4e15, -4e15,
        Double(Int64.max), Double(Int64.min), 946_684_799_000, 253_402_300_800_000,
    ]

    @Test func impossiblePlatformTimesBecomeTheReceiveTimeWithANote() {
        let now = Date()
        for ms in Self.extremes {
            let (date, note) = PlatformTime.fromMilliseconds(ms, receivedAt: now)
            #expect(date == now && note != nil, "\(ms) ms")
            _ = PlatformTime.integerKey(ms)  // must not trap
        }
        let real = 1_780_000_000_000.0
        let (date, note) = PlatformTime.fromMilliseconds(real, receivedAt: Date(timeIntervalSince1970: 1_780_000_100))
        #expect(date == Date(timeIntervalSince1970: 1_780_000_000) && note == nil)
        #expect(PlatformTime.integerKey(real) == "1780000000000")
    }

    @Test func slaTargetsAreBoundedToAYear() {
        for bad in [1e300, -1, 0, .nan, .infinity, SLAPolicy.maxTarget + 1] {
            #expect(!SLAPolicy(firstResponse: bad, nextResponse: 60).validationErrors().isEmpty, "\(bad)")
            #expect(!SLAPolicy(firstResponse: 60, nextResponse: 60, resolution: bad).validationErrors().isEmpty, "\(bad)")
        }
        #expect(SLAPolicy(firstResponse: SLAPolicy.maxTarget, nextResponse: 60).validationErrors().isEmpty)
        #expect(!SLAPolicy(firstResponse: 60, nextResponse: 60, dueSoonFraction: .nan).validationErrors().isEmpty)
    }
}
