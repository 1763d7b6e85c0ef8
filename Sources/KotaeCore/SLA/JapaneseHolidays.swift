/// Japan's national holidays (国民の祝日) as the Act on National Holidays defines them,
/// including substitute holidays (振替休日) and sandwiched citizens' holidays (国民の休日).
/// Valid for 2000–2099; the equinox formula is the one the National Astronomical
/// Observatory's announcements have matched for this range.
public enum JapaneseHolidays {
    /// Every holiday of a year with its Japanese name, in date order.
    public static func holidays(in year: Int) -> [(date: LocalDate, name: String)] {
        var days: [LocalDate: String] = [:]
        func add(_ m: Int, _ d: Int, _ name: String) { days[LocalDate(year, m, d)] = name }
        func nthMonday(_ n: Int, _ month: Int) -> Int {
            let first = LocalDate(year, month, 1).isoWeekday
            return 1 + (8 - first) % 7 + (n - 1) * 7
        }

        add(1, 1, "元日")
        add(1, nthMonday(2, 1), "成人の日")
        add(2, 11, "建国記念の日")
        if year >= 2020 { add(2, 23, "天皇誕生日") }
        add(3, vernalEquinoxDay(year), "春分の日")
        add(4, 29, "昭和の日")
        add(5, 3, "憲法記念日")
        add(5, 4, "みどりの日")
        add(5, 5, "こどもの日")
        switch year {
        case 2020: add(7, 23, "海の日"); add(7, 24, "スポーツの日"); add(8, 10, "山の日")
        case 2021: add(7, 22, "海の日"); add(7, 23, "スポーツの日"); add(8, 8, "山の日")
        default:
            add(7, nthMonday(3, 7), "海の日")
            if year >= 2016 { add(8, 11, "山の日") }
            add(10, nthMonday(2, 10), year >= 2020 ? "スポーツの日" : "体育の日")
        }
        add(9, nthMonday(3, 9), "敬老の日")
        add(9, autumnalEquinoxDay(year), "秋分の日")
        add(11, 3, "文化の日")
        add(11, 23, "勤労感謝の日")
        if year <= 2018 { add(12, 23, "天皇誕生日") }
        if year == 2019 {
            add(5, 1, "天皇の即位の日")
            add(10, 22, "即位礼正殿の儀の行われる日")
        }

        // 国民の休日: an ordinary day between two holidays is a holiday too.
        for date in days.keys.sorted() {
            let next = date.adding(days: 1)
            if days[next] == nil, days[date.adding(days: 2)] != nil, next.isoWeekday != 7 {
                days[next] = "国民の休日"
            }
        }
        // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
        for date in days.keys.sorted() where date.isoWeekday == 7 && days[date] != "振替休日" {
            var d = date.adding(days: 1)
            while days[d] != nil { d = d.adding(days: 1) }
            days[d] = "振替休日"
        }
        return days.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public static func isHoliday(_ date: LocalDate) -> Bool {
        cache.holidays(date.year).contains(date)
    }

    public static func name(of date: LocalDate) -> String? {
        holidays(in: date.year).first { $0.date == date }?.name
    }

    static func vernalEquinoxDay(_ y: Int) -> Int {
        Int(20.8431 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
    }

    static func autumnalEquinoxDay(_ y: Int) -> Int {
        Int(23.2488 + 0.242194 * Double(y - 1980)) - (y - 1980) / 4
    }

    private static let cache = HolidayCache()
}

/// Holiday sets per year, computed once: the SLA clock asks for every day it walks.
private final class HolidayCache: Sendable {
    private let years = Locked<[Int: Set<LocalDate>]>([:])

    func holidays(_ year: Int) -> Set<LocalDate> {
        years.withLock { years in
            if let s = years[year] { return s }
            let s = Set(JapaneseHolidays.holidays(in: year).map(\.date))
            years[year] = s
            return s
        }
    }
}
