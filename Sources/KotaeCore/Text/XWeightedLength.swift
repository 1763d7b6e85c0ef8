import Foundation

/// How X counts a post's length (twitter-text's "weighted length"): most Latin letters and
/// punctuation weigh 1, CJK and everything else 2, a URL 23 whatever its length; 280 at most.
/// The composer's counter (composer.js) counts the same way.
public enum XWeightedLength {
    public static let limit = 280
    /// Code points weighing 1: Latin to Hangul Jamo, general punctuation's spaces and dashes, quotes, primes.
    static let light: [ClosedRange<UInt32>] = [0...4351, 8192...8205, 8208...8223, 8242...8247]
    nonisolated(unsafe) static let url = try! Regex("https?://\\S+")

    public static func of(_ text: String) -> Int {
        var total = 0
        var rest = Substring(text)
        while let link = rest.firstMatch(of: url) {
            total += weight(rest[..<link.range.lowerBound]) + 23
            rest = rest[link.range.upperBound...]
        }
        return total + weight(rest)
    }

    static func weight(_ s: Substring) -> Int {
        s.unicodeScalars.reduce(0) { sum, scalar in sum + (light.contains { $0.contains(scalar.value) } ? 1 : 2) }
    }
}
