extension Migration {
    /// 18: API tokens expire and are revoked; untrusted platform times noted.
    static let v18ApiTokensExpireAndAreRevokedUntrustedPlatformTimesNoted = Migration(
        version: 18, name: "API tokens expire and are revoked; untrusted platform times noted",
        statements: [
            "ALTER TABLE api_tokens ADD COLUMN expires_at {real}",
            "ALTER TABLE api_tokens ADD COLUMN revoked_at {real}",
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
            // Why a message shows the time Kotae received it rather than the platform's.
            "ALTER TABLE messages ADD COLUMN time_note TEXT",
        ])
}
