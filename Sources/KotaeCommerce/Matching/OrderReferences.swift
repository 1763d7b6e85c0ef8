import Foundation
import KotaeCore

/// How a connected store numbers its orders: Shopify's order name is a prefix, a number and a
/// suffix (`#1042`, `EN1042`, `1042-A`); a Rakuten order number begins with the shop's number.
public struct StoreNumbering: Sendable, Equatable {
    public var store: Int64
    public var platform: CommercePlatform
    public var prefix: String
    public var suffix: String

    public init(store: Int64, platform: CommercePlatform, prefix: String = "#", suffix: String = "") {
        self.store = store
        self.platform = platform
        self.prefix = prefix
        self.suffix = suffix
    }
}

/// An order number a customer wrote, and the store it can belong to.
public struct OrderReference: Sendable, Equatable, Hashable {
    public var store: Int64
    public var number: String

    public init(store: Int64, number: String) {
        self.store = store
        self.number = number
    }
}

/// Finds order numbers in what a customer wrote. Full-width digits and signs, and the dashes
/// phones put into a Rakuten number, read as ASCII first. Only a number in a store's own format
/// counts (a bare `1042` is a quantity as often as an order), except after a label that says
/// it is one (「注文番号 1042」, "order no. 1042").
public enum OrderReferences {
    public static func find(in text: String, stores: [StoreNumbering]) -> [OrderReference] {
        let normal = normalize(text)
        var found: [OrderReference] = []
        for store in stores {
            for number in numbers(in: normal, store) where !found.contains(OrderReference(store: store.store, number: number)) {
                found.append(OrderReference(store: store.store, number: number))
            }
        }
        return found
    }

    /// Rakuten: `<6-digit shop>-<yyyymmdd>-<8–10 digits>`, not inside a longer run of digits.
    static var rakuten: Regex<(Substring, Substring)> { /(?:^|[^0-9])([0-9]{6}-[0-9]{8}-[0-9]{8,10})(?![0-9])/ }
    static var labelled: Regex<(Substring, Substring)> {
        /(?i)(?:ご?注文番号|受注番号|order\s*(?:number|no\.?|#))\s*[:：は]?\s*#?\s*([0-9]{3,12})(?![0-9-])/
    }

    static func numbers(in text: String, _ store: StoreNumbering) -> [String] {
        switch store.platform {
        case .rakuten:
            return text.matches(of: rakuten).map { String($0.output.1) }
        case .shopify, .base, .file:
            var numbers: [String] = []
            // A store whose format is not known (saved orders) still takes `#1042` as a number.
            let prefix = store.prefix.isEmpty && store.suffix.isEmpty ? "#" : store.prefix
            let pattern =
                "(?:^|[^0-9A-Za-z])" + NSRegularExpression.escapedPattern(for: prefix) + "([0-9]{3,12})"
                + NSRegularExpression.escapedPattern(for: store.suffix) + "(?![0-9])"
            if let regex = try? Regex(pattern) {
                for match in text.matches(of: regex) {
                    if let digits = match.output[1].substring { numbers.append(prefix + digits + store.suffix) }
                }
            }
            for match in text.matches(of: labelled) {
                let number = store.prefix + match.output.1 + store.suffix
                if !numbers.contains(number) { numbers.append(number) }
            }
            return numbers
        }
    }

    /// NFKC (full-width to ASCII), then every dash a keyboard offers as `-`.
    static func normalize(_ text: String) -> String {
        let dashes: Set<Character> = ["‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "－"]
        return String(text.precomposedStringWithCompatibilityMapping.map { dashes.contains($0) ? "-" : $0 })
    }
}
