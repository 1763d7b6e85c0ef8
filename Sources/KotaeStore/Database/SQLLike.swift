import KotaeCore

extension KotaeStore {
    /// `s` as literal text inside a LIKE pattern (with `ESCAPE '\\'`).
    static func escapeLike(_ s: String) -> String { likeEscape(s) }

    /// On code points: `%` with a combining mark on it is still a wildcard to the database.
    private static let likeEscape = ASCIIEscape(["\\": "\\\\", "%": "\\%", "_": "\\_"])
}
