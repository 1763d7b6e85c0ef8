import Foundation

/// RFC 5322 dates (`Tue, 1 Dec 2026 09:14:00 +0900`), with the obsolete forms mail still
/// carries: zone names (JST, GMT, EST…), two-digit years, no seconds, no weekday.
/// Anything else is nil (the receive time is used instead).
public enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "jst": 9 * 60, "kst": 9 * 60, "est": -5 * 60, "edt": -4 * 60, "cst": -6 * 60,
        "cdt": -5 * 60, "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60, "cet": 60, "cest": 120, "bst": 60,
    ]

    public static func parse(_ s: String) -> Date? {
        // Drop the weekday and any comment like "(JST)".
        var text = s
        if let paren = text.firstIndex(of: "(") { text = String(text[..<paren]) }
        if let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count >= 4, let day = Int(parts[0]), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[1].prefix(3)).lowercased()),
            var year = Int(parts[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let time = parts[3].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, (0...23).contains(time[0]), (0...59).contains(time[1]) else { return nil }
        let second = time.count > 2 ? time[2] : 0
        guard (0...60).contains(second) else { return nil }
        var offsetMinutes = 0
        if parts.count > 4 {
            let z = parts[4]
            if let sign = z.first, sign == "+" || sign == "-", z.count == 5, let v = Int(z.dropFirst()) {
                offsetMinutes = (v / 100 * 60 + v % 100) * (sign == "-" ? -1 : 1)
            } else if let known = zones[z.lowercased()] {
                offsetMinutes = known
            }
        }
        var c = DateComponents()
        c.year = year
        c.month = month + 1
        c.day = day
        c.hour = time[0]
        c.minute = time[1]
        c.second = min(second, 59)
        c.timeZone = TimeZone(secondsFromGMT: 0)
        guard let utc = calendar.date(from: c) else { return nil }
        return utc.addingTimeInterval(TimeInterval(-offsetMinutes * 60))
    }

    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 0)!
        return c
    }()
}
