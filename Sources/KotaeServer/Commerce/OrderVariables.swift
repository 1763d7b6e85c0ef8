import Foundation
import KotaeCore

/// `{order.…}` in canned replies: the conversation's first order as the panel shows it (linked,
/// then the number the customer wrote, then the newest of their address), from the cache.
/// A value the order does not have stays unfilled, so the agent sees the gap.
enum OrderVariables {
    static func values(_ order: Order, language: String, timeZone: TimeZone) -> [String: String] {
        var values: [String: String] = ["order.number": order.number]
        let day = DateFormatter()
        day.locale = Locale(identifier: language == "ja" ? "ja_JP" : "en_GB")
        day.timeZone = timeZone
        day.dateStyle = .medium
        values["order.date"] = day.string(from: order.createdAt)
        // A platform's own status (Rakuten's 100–900) says more than the general one.
        let platform = order.platformStatus.map { "rakuten_\($0)" }
        let key = platform.flatMap { WebStrings.table(language)[$0] != nil ? $0 : nil } ?? "fulfilment_\(order.fulfilment.rawValue)"
        values["order.status"] = WebStrings.text(key, language)
        if !order.lines.isEmpty {
            values["order.items"] = order.lines.map { "\($0.title)\($0.variant.map { "（\($0)）" } ?? "") × \($0.quantity)" }
                .joined(separator: language == "ja" ? "、" : ", ")
        }
        values["order.total"] = order.total.map { WebFormat.money($0.amount, currency: $0.currency) }
        let tracking = order.shipments.flatMap(\.tracking).first
        values["order.carrier"] = tracking?.company
        values["order.tracking_number"] = tracking?.number
        values["order.tracking_url"] = tracking?.url
        values["order.status_url"] = order.statusURL
        return values.compactMapValues { $0 }
    }
}
