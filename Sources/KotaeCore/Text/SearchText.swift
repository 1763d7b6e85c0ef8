import Foundation

/// Text as the search index sees it: full-width ASCII folded to half-width
/// (ＡＢＣ１２３ → ABC123), compatibility forms unified (NFKC), lower-cased.
/// Indexed text and queries go through the same function, so either form finds the other.
public enum SearchText {
    public static func normalize(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased()
    }
}
