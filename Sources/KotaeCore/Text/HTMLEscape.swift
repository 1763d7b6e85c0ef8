/// Escaping text for HTML, on code points (`ASCIIEscape`): a quote with a combining mark on it
/// is still a quote to the browser, and is escaped.
public enum HTMLEscape {
    private static let all = ASCIIEscape(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
    private static let exceptAmpersand = ASCIIEscape(["<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])

    /// `&`, `<`, `>`, `"` and `'`: safe in text and in a quoted attribute.
    public static func text(_ s: String) -> String { all(s) }

    /// `<`, `>`, `"` and `'`, leaving `&` alone: for text whose entities are kept as written
    /// (the sanitizer's output of a customer's HTML).
    public static func keepingEntities(_ s: String) -> String { exceptAmpersand(s) }
}
