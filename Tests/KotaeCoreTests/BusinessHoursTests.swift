import Foundation
import Testing
@testable import KotaeCore

/// Tokyo wall-clock instant, for readable expectations.
func tokyo(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "Asia/Tokyo")!
    return cal.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi))!
}

@Suite struct BusinessHoursTests {
    let shop = BusinessHours.weekdays(from: 9, to: 18)

    @Test func dueTimeSkipsNightsAndWeekends() {
        // Friday 17:00 + 2 business hours = Monday 10:00.
        #expect(shop.adding(2 * 3600, to: tokyo(2026, 11, 20, 17)) == tokyo(2026, 11, 24, 10))
    }

    @Test func dueTimeSkipsJapaneseHolidays() {
        // Friday 2026-05-01 17:00 + 2h: 5/4, 5/5, 5/6 are holidays, so Thursday 5/7 10:00.
        #expect(shop.adding(2 * 3600, to: tokyo(2026, 5, 1, 17)) == tokyo(2026, 5, 7, 10))
        // Without holidays the same is Monday 5/4.
        var noHolidays = shop
        noHolidays.japaneseHolidays = false
        #expect(noHolidays.adding(2 * 3600, to: tokyo(2026, 5, 1, 17)) == tokyo(2026, 5, 4, 10))
    }

    @Test func messageAtNightStartsCountingAtOpening() {
        #expect(shop.adding(30 * 60, to: tokyo(2026, 11, 24, 23)) == tokyo(2026, 11, 25, 9, 30))
    }

    @Test func shopClosedDaysAreSkipped() {
        var hours = shop
        hours.closedDays = [LocalDate(2026, 12, 29), LocalDate(2026, 12, 30)]
        #expect(hours.adding(3600, to: tokyo(2026, 12, 28, 17, 30)) == tokyo(2026, 12, 31, 9, 30))
    }

    @Test func durationCountsOnlyOpenTime() {
        #expect(shop.duration(from: tokyo(2026, 11, 20, 17), to: tokyo(2026, 11, 24, 10)) == 2 * 3600)
        #expect(shop.duration(from: tokyo(2026, 11, 21, 10), to: tokyo(2026, 11, 22, 10)) == 0)
    }

    @Test func subtractingIsTheInverseOfAdding() {
        let start = tokyo(2026, 11, 20, 16)
        let due = shop.adding(5 * 3600, to: start)!
        #expect(shop.subtracting(5 * 3600, from: due) == start)
    }

    @Test func neverOpenGivesNoDueInsteadOfHanging() {
        let closed = BusinessHours(timeZone: "Asia/Tokyo", week: [:])
        #expect(closed.adding(60, to: tokyo(2026, 1, 1, 0)) == nil)
        #expect(closed.validationErrors().isEmpty)
        #expect(!BusinessHours(timeZone: "Mars/Base", week: [1: [.init(start: 600, end: 500)]]).validationErrors().isEmpty)
    }

    @Test func isOpen() {
        #expect(shop.isOpen(at: tokyo(2026, 11, 24, 9)))
        #expect(!shop.isOpen(at: tokyo(2026, 11, 24, 18)))
        #expect(!shop.isOpen(at: tokyo(2026, 11, 23, 12)))  // 勤労感謝の日
    }
}
