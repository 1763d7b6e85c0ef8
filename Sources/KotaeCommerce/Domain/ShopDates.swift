import Foundation

/// Dates as shop systems write them: a fixed pattern, read the same whatever the server's
/// locale, in Japan's time unless said otherwise. (`DateFormatter` is not Sendable: one per use.)
public enum ShopDates {
    public static let japan = TimeZone(identifier: "Asia/Tokyo")!

    public static func formatter(_ pattern: String, timeZone: TimeZone = japan) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = pattern
        return f
    }
}
