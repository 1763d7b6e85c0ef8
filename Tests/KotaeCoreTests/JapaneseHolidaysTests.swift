import Testing
@testable import KotaeCore

@Suite struct JapaneseHolidaysTests {
    @Test func holidaysOf2026AsPublishedByTheCabinetOffice() {
        let days = JapaneseHolidays.holidays(in: 2026).map { $0.date.description }
        #expect(
            days == [
                "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29",
                "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11",
                "2026-09-21", "2026-09-22", "2026-09-23", "2026-10-12", "2026-11-03", "2026-11-23",
            ])
        #expect(JapaneseHolidays.name(of: LocalDate(2026, 5, 6)) == "振替休日")
        #expect(JapaneseHolidays.name(of: LocalDate(2026, 9, 22)) == "国民の休日")
    }

    @Test func holidaysOf2025() {
        let days = JapaneseHolidays.holidays(in: 2025).map { $0.date.description }
        #expect(
            days == [
                "2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23", "2025-02-24", "2025-03-20",
                "2025-04-29", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06", "2025-07-21",
                "2025-08-11", "2025-09-15", "2025-09-23", "2025-10-13", "2025-11-03", "2025-11-23",
                "2025-11-24",
            ])
    }

    @Test func olympicYearsMovedTheSummerHolidays() {
        #expect(JapaneseHolidays.name(of: LocalDate(2021, 7, 23)) == "スポーツの日")
        #expect(JapaneseHolidays.name(of: LocalDate(2021, 8, 9)) == "振替休日")
        #expect(!JapaneseHolidays.isHoliday(LocalDate(2021, 10, 11)))
        #expect(JapaneseHolidays.name(of: LocalDate(2019, 4, 30)) == "国民の休日")
    }

    @Test func localDateArithmetic() {
        #expect(LocalDate(2026, 11, 22).isoWeekday == 7)
        #expect(LocalDate(1970, 1, 1).dayNumber == 0)
        #expect(LocalDate(2024, 2, 28).adding(days: 1) == LocalDate(2024, 2, 29))
        #expect(LocalDate(iso: "2026-02-30") == nil)
        #expect(LocalDate(iso: "2026-12-31") == LocalDate(2026, 12, 31))
    }
}
