import Foundation

/// When a shop answers. Due times are counted only inside these hours.
public struct BusinessHours: Codable, Sendable, Equatable {
    /// Opening span of one weekday, in minutes after local midnight (`end` up to 1440).
    public struct Span: Codable, Sendable, Equatable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    /// IANA time zone name, e.g. `Asia/Tokyo`.
    public var timeZone: String
    /// Opening spans per ISO weekday (1 = Monday … 7 = Sunday); a missing day is closed.
    public var week: [Int: [Span]]
    /// Closed on Japan's national holidays.
    public var japaneseHolidays: Bool
    /// The shop's own closed days (year-end break, stocktaking).
    public var closedDays: Set<LocalDate>

    public init(timeZone: String, week: [Int: [Span]], japaneseHolidays: Bool = false, closedDays: Set<LocalDate> = []) {
        self.timeZone = timeZone
        self.week = week
        self.japaneseHolidays = japaneseHolidays
        self.closedDays = closedDays
    }

    /// Monday to Friday, `from`–`to` o'clock, closed on Japanese holidays: a common shop.
    public static func weekdays(from: Int, to: Int, timeZone: String = "Asia/Tokyo", japaneseHolidays: Bool = true) -> BusinessHours {
        let span = [Span(start: from * 60, end: to * 60)]
        return BusinessHours(
            timeZone: timeZone, week: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, span) }), japaneseHolidays: japaneseHolidays)
    }

    /// Problems a shop owner can fix, named by field; empty when valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if TimeZone(identifier: timeZone) == nil { errors.append("timeZone: unknown time zone \(timeZone)") }
        for (day, spans) in week {
            if !(1...7).contains(day) { errors.append("week: weekday \(day) is not 1…7") }
            for s in spans where !(0 <= s.start && s.start < s.end && s.end <= 1440) {
                errors.append("week.\(day): span \(s.start)–\(s.end) is not within a day")
            }
        }
        return errors
    }

    public func isOpenDay(_ date: LocalDate) -> Bool {
        if closedDays.contains(date) { return false }
        if japaneseHolidays && JapaneseHolidays.isHoliday(date) { return false }
        return !(week[date.isoWeekday] ?? []).isEmpty
    }

    // MARK: Business-time arithmetic
    //
    // Whole weeks are counted at once: a week's open time is the sum of its spans, less the
    // spans of its closed days (holidays from the table, the shop's own closed days), and
    // days with a daylight-saving change are counted exactly. So a question over years
    // costs a few thousand steps, not one calendar computation per day, and the instants it
    // is asked about are bounded (`calendarRange`): nothing from outside can make it walk
    // from year 1.

    /// The instants business-time arithmetic works within; outside it, times are clamped.
    public static let calendarRange = Date(timeIntervalSince1970: 946_684_800)...Date(timeIntervalSince1970: 4_102_444_800)  // 2000–2100

    static func clamped(_ d: Date) -> Date { min(max(d, calendarRange.lowerBound), calendarRange.upperBound) }

    /// The instant `seconds` of business time after `start`. Nil if the shop is never open
    /// within the next five years (no spans at all), so a bad setting cannot hang a request.
    public func adding(_ seconds: TimeInterval, to given: Date) -> Date? {
        guard seconds.isFinite else { return nil }
        let start = Self.clamped(given)
        var remaining = seconds
        var day = localDate(of: start)
        let lastDay = day.adding(days: 366 * 5)
        while day <= lastDay {
            // At a Monday, skip every whole week that the remaining time outlasts.
            if day.isoWeekday == 1, localDate(of: start) < day {
                let week = openSeconds(weekFrom: day)
                if week < remaining { remaining -= week; day = day.adding(days: 7); continue }
            }
            for (open, close) in openIntervals(on: day) where close > start {
                let from = max(open, start)
                let available = close.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// The instant `seconds` of business time before `end`; nil if never open in five years.
    public func subtracting(_ seconds: TimeInterval, from given: Date) -> Date? {
        guard seconds.isFinite else { return nil }
        let end = Self.clamped(given)
        var remaining = seconds
        var day = localDate(of: end)
        let firstDay = day.adding(days: -366 * 5)
        while day >= firstDay {
            // At a Sunday before the end's day, skip every whole week the remaining time outlasts.
            if day.isoWeekday == 7, day < localDate(of: end) {
                let week = openSeconds(weekFrom: day.adding(days: -6))
                if week < remaining { remaining -= week; day = day.adding(days: -7); continue }
            }
            for (open, close) in openIntervals(on: day).reversed() where open < end {
                let to = min(close, end)
                let available = to.timeIntervalSince(open)
                if remaining <= available { return to.addingTimeInterval(-remaining) }
                remaining -= available
            }
            day = day.adding(days: -1)
        }
        return nil
    }

    /// Business seconds between two instants (zero if `end` is not after `start`).
    public func duration(from given: Date, to givenEnd: Date) -> TimeInterval {
        let start = Self.clamped(given), end = Self.clamped(givenEnd)
        guard end > start else { return 0 }
        let first = localDate(of: start), last = localDate(of: end)
        if first == last { return open(on: first, from: start, to: end) }
        var total = open(on: first, from: start, to: end) + open(on: last, from: start, to: end)
        var day = first.adding(days: 1)
        while day < last {
            if day.isoWeekday == 1 && day.adding(days: 6) < last {
                total += openSeconds(weekFrom: day)
                day = day.adding(days: 7)
            } else {
                total += open(on: day, from: start, to: end)
                day = day.adding(days: 1)
            }
        }
        return total
    }

    /// Open seconds of one day, clipped to `[from, to)`.
    private func open(on day: LocalDate, from: Date, to: Date) -> TimeInterval {
        openIntervals(on: day).reduce(0) { sum, span in
            let a = max(span.0, from), b = min(span.1, to)
            return b > a ? sum + b.timeIntervalSince(a) : sum
        }
    }

    /// Open seconds of the seven days from `monday`: the weekly spans, less closed days;
    /// a week with a daylight-saving change is counted day by day, exactly.
    func openSeconds(weekFrom monday: LocalDate) -> TimeInterval {
        let weekStart = instant(monday, minute: 0)
        if let change = zone.nextDaylightSavingTimeTransition(after: weekStart.addingTimeInterval(-1)),
            change < instant(monday.adding(days: 7), minute: 0)
        {
            return (0..<7).reduce(0) { sum, i in
                sum + openIntervals(on: monday.adding(days: i)).reduce(0) { $0 + $1.1.timeIntervalSince($1.0) }
            }
        }
        var total: TimeInterval = 0
        for i in 0..<7 {
            let day = monday.adding(days: i)
            guard isOpenDay(day) else { continue }
            total += TimeInterval((week[day.isoWeekday] ?? []).reduce(0) { $0 + $1.end - $1.start } * 60)
        }
        return total
    }

    /// Whether the shop is open at this instant.
    public func isOpen(at instant: Date) -> Bool {
        openIntervals(on: localDate(of: instant)).contains { $0.0 <= instant && instant < $0.1 }
    }

    func openIntervals(on day: LocalDate) -> [(Date, Date)] {
        guard isOpenDay(day) else { return [] }
        return (week[day.isoWeekday] ?? []).sorted { $0.start < $1.start }.map {
            (instant(day, minute: $0.start), instant(day, minute: $0.end))
        }
    }

    private var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)! }

    func localDate(of instant: Date) -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(c.year!, c.month!, c.day!)
    }

    /// The instant of a local wall-clock minute; DST gaps resolve forward, as Calendar does.
    func instant(_ day: LocalDate, minute: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let midnight = cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        if minute == 0 { return midnight }
        if minute >= 1440 {
            let next = day.adding(days: 1)
            return cal.date(from: DateComponents(year: next.year, month: next.month, day: next.day))!
        }
        return cal.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: midnight)
            ?? midnight.addingTimeInterval(TimeInterval(minute * 60))
    }
}
