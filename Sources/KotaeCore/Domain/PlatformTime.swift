import Foundation

/// Times that come from outside (a platform's timestamp, an API client's `sentAt`) are
/// believed only inside a sane range: from 2000 to a day ahead of the receive time. An
/// impossible one (−10²⁴ ms, year 1) is replaced by the receive time and noted, so no
/// conversion downstream can trap and no clock walks back two thousand years.
public enum PlatformTime {
    /// 2000-01-01T00:00:00Z: no shop's customer wrote before it.
    public static let earliest = Date(timeIntervalSince1970: 946_684_800)
    /// Clocks drift; a day ahead is the most a platform's time may run early.
    public static let futureSlack: TimeInterval = 86_400
    /// The longest wait a platform may ask for (Retry-After, a rate-limit reset, Meta's
    /// estimate) that is believed; a longer or impossible one is cut to this.
    public static let longestWait: TimeInterval = 86_400

    public static func isPlausible(_ date: Date, receivedAt now: Date = Date()) -> Bool {
        date >= earliest && date <= now.addingTimeInterval(futureSlack)
    }

    /// The platform's `date` if plausible, else `now`, with the note that says why.
    public static func checked(_ date: Date, receivedAt now: Date = Date()) -> (date: Date, note: String?) {
        if isPlausible(date, receivedAt: now) { return (date, nil) }
        return (now, "the platform dated this message \(describe(date)); it is shown at the time Kotae received it")
    }

    /// A date from seconds since 1970, or nil when the number is not finite or far out of range.
    public static func seconds(_ s: Double?) -> Date? {
        guard let s, s.isFinite, abs(s) < 1e13 else { return nil }
        return Date(timeIntervalSince1970: s)
    }

    /// A date from milliseconds since 1970 (LINE, Messenger, X), or nil when impossible.
    public static func milliseconds(_ ms: Double?) -> Date? {
        seconds(ms.map { $0 / 1000 })
    }

    /// A message's time from a platform's milliseconds, range-checked, with the note when replaced.
    public static func fromMilliseconds(_ ms: Double, receivedAt now: Date = Date()) -> (date: Date, note: String?) {
        guard let date = milliseconds(ms) else {
            return (now, "the platform dated this message \(ms) ms after 1970; it is shown at the time Kotae received it")
        }
        return checked(date, receivedAt: now)
    }

    /// A message's time from a platform's seconds since 1970, range-checked, noted when replaced.
    public static func fromSeconds(_ seconds: Double, receivedAt now: Date = Date()) -> (date: Date, note: String?) {
        fromMilliseconds(seconds * 1000, receivedAt: now)
    }

    /// An integer for a key built from a platform's number, which must not trap on overflow.
    public static func integerKey(_ v: Double) -> String {
        v.isFinite && abs(v) < 9e15 ? String(Int64(v)) : String(v)
    }

    static func describe(_ date: Date) -> String {
        let s = date.timeIntervalSince1970
        guard abs(s) < 1e11 else { return "\(s) s after 1970" }
        return ISO8601DateFormatter().string(from: date)
    }
}
