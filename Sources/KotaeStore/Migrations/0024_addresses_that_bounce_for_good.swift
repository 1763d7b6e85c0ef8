extension Migration {
    /// 24: addresses that bounce for good.
    static let v24AddressesThatBounceForGood = Migration(
        version: 24, name: "addresses that bounce for good",
        statements: [
            // An email address a permanent bounce (DSN 5.1.x) or a 5.1.x refusal reported as
            // not existing, with the server's words; gone again when mail comes from it.
            "CREATE TABLE undeliverable_addresses (address TEXT PRIMARY KEY, reason TEXT NOT NULL, at {real} NOT NULL)"
        ])
}
