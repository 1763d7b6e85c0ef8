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
        return BusinessHours(timeZone: timeZone, week: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, span) }), japaneseHolidays: japaneseHolidays)
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

    /// The instant `seconds` of business time after `start`. Nil if the shop is never open
    /// within the next five years (no spans at all), so a bad setting cannot hang a request.
    public func adding(_ seconds: TimeInterval, to start: Date) -> Date? {
        var remaining = seconds
        var cursor = start
        var day = localDate(of: start)
        for _ in 0..<(366 * 5) {
            for (open, close) in openIntervals(on: day) where close > cursor {
                let from = max(open, cursor)
                let available = close.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
                cursor = close
            }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// The instant `seconds` of business time before `end`; nil if never open in five years.
    public func subtracting(_ seconds: TimeInterval, from end: Date) -> Date? {
        var remaining = seconds
        var cursor = end
        var day = localDate(of: end)
        for _ in 0..<(366 * 5) {
            for (open, close) in openIntervals(on: day).reversed() where open < cursor {
                let to = min(close, cursor)
                let available = to.timeIntervalSince(open)
                if remaining <= available { return to.addingTimeInterval(-remaining) }
                remaining -= available
                cursor = open
            }
            day = day.adding(days: -1)
        }
        return nil
    }

    /// Business seconds between two instants (zero if `end` is not after `start`).
    public func duration(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = localDate(of: start)
        let last = localDate(of: end)
        while day <= last {
            for (open, close) in openIntervals(on: day) {
                let a = max(open, start)
                let b = min(close, end)
                if b > a { total += b.timeIntervalSince(a) }
            }
            day = day.adding(days: 1)
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
        return cal.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: midnight) ?? midnight.addingTimeInterval(TimeInterval(minute * 60))
    }
}
