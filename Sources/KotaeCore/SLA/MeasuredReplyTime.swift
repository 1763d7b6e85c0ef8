import Foundation

/// What a shop can honestly say about how fast it answers: the 90th percentile of its first
/// responses over the last 28 days (in business hours where the policy counts them), never a
/// setting. Used by the email autoresponder and the contact page.
public enum MeasuredReplyTime {
    /// Fewer measured first responses than this give no figure (one slow day is not a rule).
    public static let minimumSample = 10
    public static let window: TimeInterval = 28 * 86_400

    /// The 90th percentile (nearest rank), or nil below the minimum sample.
    public static func p90(_ seconds: [Double]) -> Double? {
        guard seconds.count >= minimumSample else { return nil }
        let sorted = seconds.sorted()
        return sorted[Int((0.9 * Double(sorted.count)).rounded(.up)) - 1]
    }

    /// A duration rounded up to what a customer reads: minutes, hours, or days.
    public static func words(_ seconds: Double) -> (ja: String, en: String) {
        let minutes = Int((seconds / 60).rounded(.up))
        if minutes < 60 { return ("\(max(minutes, 1))分", "\(max(minutes, 1)) minute\(minutes == 1 ? "" : "s")") }
        let hours = Int((seconds / 3600).rounded(.up))
        if hours < 48 { return ("\(hours)時間", "\(hours) hour\(hours == 1 ? "" : "s")") }
        let days = Int((seconds / 86_400).rounded(.up))
        return ("\(days)日", "\(days) days")
    }

    /// When business hours next begin, if they are closed at `now`.
    public static func nextOpening(_ hours: BusinessHours?, after now: Date) -> Date? {
        guard let hours, !hours.isOpen(at: now) else { return nil }
        return hours.adding(1, to: now)?.addingTimeInterval(-1)
    }
}
