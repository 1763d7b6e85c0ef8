import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Logging
import Testing

/// PostgreSQL over TLS, as a managed database requires it. `scripts/with-postgres.sh` starts
/// a server that refuses TCP without TLS and has a self-signed certificate.
@Suite struct PostgresTLSTests {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The test server's URL with `query` in place of the admin URL's.
    func url(_ query: String) throws -> String {
        let admin = try #require(TestDatabase.postgresAdminURL)
        var c = try #require(URLComponents(string: admin))
        c.query = query.isEmpty ? nil : query
        return try #require(c.string)
    }

    func connects(_ url: String) async throws {
        let db = try await KotaeDatabase.open(url: url, logger: Logger(label: "tls-test"), maxConnections: 1)
        let ssl = try await db.read { sql in
            try await sql.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()?.decode(column: "ssl", as: Bool.self)
        }
        await db.close()
        #expect(ssl == true, "connected without TLS: \(url)")
    }

    func refusal(_ url: String) async -> String? {
        do {
            let db = try await KotaeDatabase.open(url: url, logger: Logger(label: "tls-test"), maxConnections: 1)
            await db.close()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(.enabled(if: TestDatabase.isPostgres && environment["KOTAE_TEST_POSTGRES_CA"] != nil, "needs scripts/with-postgres.sh"))
    func sslModesAgainstAServerThatRequiresTLS() async throws {
        let ca = try #require(Self.environment["KOTAE_TEST_POSTGRES_CA"])
        let wrongCA = try #require(Self.environment["KOTAE_TEST_POSTGRES_WRONG_CA"])

        // A self-signed certificate: require encrypts without checking it, as libpq does.
        try await connects(try url("sslmode=require"))
        // No sslmode is libpq's prefer: TLS when the server offers it.
        try await connects(try url(""))
        // verify-full with the server's own CA checks the chain and the host name.
        try await connects(try url("sslmode=verify-full&sslrootcert=\(ca)"))

        let wrong = try #require(await refusal(try url("sslmode=verify-full&sslrootcert=\(wrongCA)")))
        #expect(wrong.contains("TLS certificate was refused") && wrong.contains("verify-full") && wrong.contains(wrongCA), "\(wrong)")
        // verify-full with the system's CAs does not trust a self-signed certificate either.
        let system = try #require(await refusal(try url("sslmode=verify-full")))
        #expect(system.contains("TLS certificate was refused") && system.contains("system's CA certificates"), "\(system)")
        // Without TLS this server says no, and the server's reason is passed on.
        let plain = try #require(await refusal(try url("sslmode=disable")))
        #expect(plain.contains("refused the connection") && plain.contains("no encryption"), "\(plain)")
    }

    @Test func aURLThatCannotBeReadIsRefusedBeforeConnecting() async throws {
        let bad: [(String, String)] = [
            (
                "postgres://u@db.invalid/kotae?sslmode=verify",
                "sslmode 'verify' is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ),
            ("postgres://u@db.invalid/kotae?sslcert=client.pem", "parameter Kotae does not know: 'sslcert'"),
            ("postgres://u@db.invalid/kotae?connect_timeout=soon", "connect_timeout 'soon'"),
            ("postgres://u@db.invalid/kotae?sslmode=disable&sslrootcert=/ca.pem", "sslmode=disable turns TLS off"),
            ("postgres://u@db.invalid/kotae?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", "sslrootcert '/nonexistent/ca.pem' cannot be read"),
            ("postgres:///kotae", "cannot read the PostgreSQL URL"),
        ]
        for (url, words) in bad {
            let said = try #require(await refusal(url), "\(url) was accepted")
            #expect(said.contains(words), "\(url): \(said)")
        }
    }
}
