import SQLKit

extension SQLQueryString {
    /// Appends `(v1, v2, …)` with each value bound, for `IN` (the list must not be empty).
    mutating func appendBoundList(_ values: [some Encodable & Sendable]) {
        appendLiteral("(")
        for (i, value) in values.enumerated() {
            if i > 0 { appendLiteral(", ") }
            appendInterpolation(bind: value)
        }
        appendLiteral(")")
    }
}
