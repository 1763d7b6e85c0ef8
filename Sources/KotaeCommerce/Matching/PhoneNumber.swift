import Foundation

/// Phone numbers as E.164, so `090-1234-5678`, `０９０１２３４５６７８` and `+81 90-1234-5678`
/// are one customer. A national number (leading 0) is read in the shop's country.
public enum PhoneNumber {
    /// nil when `raw` is not a phone number (too short, too long, letters).
    public static func e164(_ raw: String, countryCode: String = "81") -> String? {
        let text = raw.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || " -().+/".contains($0)) }) else { return nil }
        let digits = text.filter(\.isNumber)
        let international: String
        if text.hasPrefix("+") {
            international = digits
        } else if digits.hasPrefix("00") {
            international = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0") {
            international = countryCode + digits.dropFirst()
        } else {
            return nil
        }
        // E.164 allows 15 digits; fewer than 8 is no subscriber anywhere.
        guard (8...15).contains(international.count), !international.hasPrefix("0") else { return nil }
        return "+" + international
    }
}
