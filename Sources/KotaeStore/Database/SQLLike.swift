extension KotaeStore {
    /// `s` as literal text inside a LIKE pattern (with `ESCAPE '\\'`).
    static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
