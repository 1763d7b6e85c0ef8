import Foundation
import KotaeCore

/// The email autoresponder's answer: that the mail arrived, and the honest expected reply
/// time — the 90th percentile of this inbox's first responses over the last 28 days, in
/// business hours where the inbox counts them — never a promise the shop does not keep.
enum AutoReply {
    /// Once per conversation per day, and at most this many in one conversation.
    static let interval: TimeInterval = 86_400
    static let cap = 3
    static let window = MeasuredReplyTime.window

    /// Japanese first, then English (a Japanese shop's customers read the first).
    static func text(shop: String, p90: Double?, hours: BusinessHours?, now: Date) -> String {
        var ja = ["\(shop)へのお問い合わせを受け付けました。このメールは自動でお送りしています。"]
        var en = ["We have received your message to \(shop). This is an automatic reply."]
        if let p90 {
            let (jaTime, enTime) = MeasuredReplyTime.words(p90)
            let clock = hours == nil ? ("", "") : ("（営業時間内で）", " (counted in business hours)")
            ja.append("直近28日間、最初のお返事の10件中9件は\(jaTime)以内\(clock.0)でした。")
            en.append("Over the last 28 days, 9 in 10 first replies came within \(enTime)\(clock.1).")
        } else {
            ja.append("担当者が内容を確認してお返事します。")
            en.append("A person will read it and reply.")
        }
        if let hours, let opens = MeasuredReplyTime.nextOpening(hours, after: now) {
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: hours.timeZone) ?? .current
            f.locale = Locale(identifier: "ja_JP")
            f.dateFormat = "M月d日(E) H:mm"
            ja.append("ただいま営業時間外です。次の営業開始は\(f.string(from: opens))です。")
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "EEE d MMM, HH:mm"
            en.append("We are closed now; we open again on \(f.string(from: opens)) (\(hours.timeZone)).")
        }
        return (ja + ["", "-----", ""] + en).joined(separator: "\n")
    }
}
