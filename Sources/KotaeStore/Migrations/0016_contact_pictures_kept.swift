extension Migration {
    /// 16: contact pictures kept.
    static let v16ContactPicturesKept = Migration(
        version: 16, name: "contact pictures kept",
        statements: [
            // A platform's profile picture, copied into the attachment store (its URL expires).
            "ALTER TABLE contacts ADD COLUMN avatar_sha256 TEXT"
        ])
}
