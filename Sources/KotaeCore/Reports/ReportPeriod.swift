import Foundation

/// The days a report covers (in the shop's time zone, both ends included), how it groups
/// them, and the period of the same length just before, shown beside it.
public struct ReportPeriod: Sendable, Equatable {
    public enum Grouping: String, Codable, Sendable, CaseIterable {
        case day, week, month
    }

    public enum Preset: String, Codable, Sendable, CaseIterable {
        case last7 = "7d", last30 = "30d", last90 = "90d", last365 = "365d", thisMonth = "this_month", lastMonth = "last_month"
    }

    /// A report covers at most a year (and a leap day).
    public static let maxDays = 366

    public let from: LocalDate
    public let to: LocalDate
    public let grouping: Grouping

    public enum Problem: Error, Equatable, Sendable {
        case reversed, tooLong
    }

    public init(from: LocalDate, to: LocalDate, grouping: Grouping) throws(Problem) {
        guard from <= to else { throw .reversed }
        guard to.dayNumber - from.dayNumber < Self.maxDays else { throw .tooLong }
        self.from = from
        self.to = to
        self.grouping = grouping
    }

    public init(_ preset: Preset, today: LocalDate, grouping: Grouping? = nil) {
        let (from, to): (LocalDate, LocalDate)
        switch preset {
        case .last7: (from, to) = (today.adding(days: -6), today)
        case .last30: (from, to) = (today.adding(days: -29), today)
        case .last90: (from, to) = (today.adding(days: -89), today)
        case .last365: (from, to) = (today.adding(days: -364), today)
        case .thisMonth: (from, to) = (LocalDate(today.year, today.month, 1), today)
        case .lastMonth:
            let first = LocalDate(today.year, today.month, 1).adding(days: -1)
            (from, to) = (LocalDate(first.year, first.month, 1), first)
        }
        self.from = from
        self.to = to
        self.grouping = grouping ?? (to.dayNumber - from.dayNumber >= 120 ? .month : (to.dayNumber - from.dayNumber >= 35 ? .week : .day))
    }

    public var dayCount: Int { to.dayNumber - from.dayNumber + 1 }

    /// The same number of days, ending the day before this period starts.
    public var previous: ReportPeriod {
        let end = from.adding(days: -1)
        return (try? ReportPeriod(from: end.adding(days: -(dayCount - 1)), to: end, grouping: grouping)) ?? self
    }

    public var days: [LocalDate] { (from.dayNumber...to.dayNumber).map(LocalDate.init(dayNumber:)) }

    /// The first day of the group `day` belongs to: itself, its ISO week's Monday, or its month's first.
    public func groupStart(_ day: LocalDate) -> LocalDate {
        switch grouping {
        case .day: day
        case .week: day.adding(days: 1 - day.isoWeekday)
        case .month: LocalDate(day.year, day.month, 1)
        }
    }

    /// Each day's group: its position in `groups`.
    public var groupIndexByDay: [Int: Int] {
        var out: [Int: Int] = [:]
        var index = -1
        var current: LocalDate?
        for d in days {
            let g = groupStart(d)
            if g != current {
                index += 1
                current = g
            }
            out[d.dayNumber] = index
        }
        return out
    }

    /// Each group's first day, in order, the first clipped to the period's start.
    public var groups: [LocalDate] {
        var out: [LocalDate] = []
        for d in days where out.last.map({ groupStart(d) != groupStart($0) }) ?? true { out.append(d) }
        return out
    }
}

extension LocalDate {
    /// The calendar day of an instant in `timeZone`.
    public init(of instant: Date, in timeZone: TimeZone) {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        self.init(dayNumber: Int((local / 86_400).rounded(.down)))
    }
}
