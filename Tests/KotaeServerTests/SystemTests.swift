import Foundation
import KotaeServer
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@Suite struct SystemTests {
    @Test func healthAndMetrics() async throws {
        try await withTestApp { app in
            let health = try await app.request(.get, "/health")
            #expect(health.status == .ok)
            #expect(TestApp.object(health)["status"] as? String == "ok")
            let inbox = try await app.makeInbox(channel: "chat")
            _ = try await app.ingest(inbox: inbox, externalId: "1", extra: ["sentAt": "2020-01-01T00:00:00Z"])
            _ = try await app.ingest(inbox: inbox, externalId: "1")
            let breached = try await eventually {
                let text = String(buffer: try await app.request(.get, "/metrics").body)
                return text.contains("kotae_sla_breached_conversations 1")
            }
            #expect(breached)
            let text = String(buffer: try await app.request(.get, "/metrics").body)
            #expect(text.contains("kotae_messages_ingested_total 1"))
            #expect(text.contains("kotae_messages_duplicate_total 1"))
            #expect(text.contains("kotae_job_queue_depth"))
            // Request latency per route, from Hummingbird's metrics middleware (the earlier /metrics calls).
            #expect(
                text.contains(#"http_server_request_duration_bucket{http_route="/metrics",http_request_method="GET",http_response_status_code="200""#)
            )
        }
    }

    @Test func unknownRoutesAreProblems() async throws {
        try await withTestApp { app in
            let r = try await app.request(.get, "/api/v1/nothing-here", token: app.agentToken)
            #expect(r.status == .notFound)
            #expect(r.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func configurationLayersFlagsOverEnvironmentAndReportsEveryProblem() async throws {
        let c = try await KotaeConfig.load(
            flags: ["port": "9000"], environment: ["KOTAE_PORT": "7000", "KOTAE_HOST": "0.0.0.0", "KOTAE_DEMO": "true"],
            envFile: nil)
        #expect(c.port == 9000)
        #expect(c.host == "0.0.0.0")
        #expect(c.demo)
        #expect(c.effectiveDatabaseURL.hasPrefix("sqlite:"))
        do {
            _ = try await KotaeConfig.load(
                flags: [:], environment: ["KOTAE_PORT": "http", "KOTAE_DATABASE_URL": "mysql://x", "KOTAE_ROLE": "boss"],
                envFile: nil)
            Issue.record("invalid configuration accepted")
        } catch let e as KotaeConfig.Invalid {
            #expect(e.problems.count == 3)
            #expect(e.description.contains("port") && e.description.contains("database.url") && e.description.contains("role"))
        }
    }
}

extension SystemTests {
    /// README: copy `.env.example` to `.env`. The file is read below the environment and flags.
    @Test func theDotEnvFileIsReadBelowTheEnvironmentAndFlags() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(".env").path
        try """
        # a shop's settings
        KOTAE_HOST=0.0.0.0
        KOTAE_PORT=7100
        KOTAE_PUBLIC_URL=https://desk.example.jp
        KOTAE_ROLE=worker
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let c = try await KotaeConfig.load(flags: ["role": "web"], environment: ["KOTAE_PORT": "7200"], envFile: file)
        #expect(c.host == "0.0.0.0" && c.publicURL == "https://desk.example.jp")
        #expect(c.port == 7200, "the environment wins over .env")
        #expect(c.role == .web, "a flag wins over .env")
        // No file is fine: the defaults hold.
        #expect(try await KotaeConfig.load(flags: [:], environment: [:], envFile: dir.appendingPathComponent("none").path).port == 8080)
        // A wrong value in the file is named like any other.
        try "KOTAE_PORT=eighty\nKOTAE_DEMO=maybe\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try await KotaeConfig.load(flags: [:], environment: [:], envFile: file)
            Issue.record("a wrong .env was accepted")
        } catch let e as KotaeConfig.Invalid {
            #expect(e.problems == ["port: 'eighty' is not a number in 0…65535", "demo: 'maybe' is not true or false"])
        }
    }
}

/// The command-line tool, run as users run it.
@Suite struct CLITests {
    func run(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(env) { _, b in b }
        environment["KOTAE_BCRYPT_COST"] = "4"
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-cli-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let p = try ChildProcess(executable: try #require(KotaeBinary.path), arguments: args, environment: environment, output: output)
        p.waitUntilExit()
        let out = FileManager.default.contents(atPath: output) ?? Data()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    @Test func everyCommandHasHelp() throws {
        for command in [
            ["--help"], ["serve", "--help"], ["migrate", "--help"], ["user", "create", "--help"],
            ["user", "reset-password", "--help"], ["demo", "--help"], ["backup", "--help"], ["bench", "--help"],
        ] {
            let (status, out) = try run(command)
            #expect(status == 0, "\(command)")
            #expect(out.contains("USAGE"), "\(command)")
        }
    }

    @Test func migrateUserDemoAndBackup() async throws {
        let db = try await TestDatabase.make()
        defer { db.remove() }
        let common = ["--data-dir", db.dataDirectory] + (db.url.map { ["--database", $0] } ?? [])
        var (status, out) = try run(["migrate"] + common)
        #expect(status == 0 && out.contains("Applied migrations"))
        (status, out) = try run(["migrate"] + common)
        #expect(status == 0 && out.contains("up to date"))
        (status, out) = try run(
            ["user", "create", "--email", "Owner@Shop.jp", "--name", "Owner", "--role", "admin", "--password", "long-enough"] + common)
        #expect(status == 0, "\(out)")
        (status, out) = try run(["user", "create", "--email", "x@shop.jp", "--name", "X", "--password", "short"] + common)
        #expect(status != 0 && out.contains("at least 8"))
        (status, out) = try run(["user", "reset-password", "--email", "owner@shop.jp"] + common, env: ["KOTAE_NEW_PASSWORD": "another-long-one"])
        #expect(status == 0, "\(out)")
        (status, out) = try run(["demo"] + common)
        #expect(status == 0, "\(out)")

        let store = try await db.openStore()
        let (owner, _) = try #require(try await store.accounts.userForLogin(email: "owner@shop.jp"))
        #expect(owner.role == .admin)
        // The demo shop is a living inbox: several channels, some overdue, some resolved.
        let open = try await store.conversations.listConversations(ConversationQuery()).conversations
        var resolvedQuery = ConversationQuery()
        resolvedQuery.statuses = [.resolved]
        let resolved = try await store.conversations.listConversations(resolvedQuery).conversations
        #expect(Set(open.map(\.channel)).count >= 5)
        #expect(open.contains { $0.clock.slaState(at: Date()) == .breached })
        #expect(!resolved.isEmpty)
        #expect(open.contains { $0.contactName.unicodeScalars.contains { $0.value >= 0x3040 } })
        await store.db.close()

        if db.url == nil {
            let copy = db.dataDirectory + "/backup.sqlite"
            (status, out) = try run(["backup", "--to", copy] + common)
            #expect(status == 0, "\(out)")
            #expect(FileManager.default.fileExists(atPath: copy))
            (status, out) = try run(["backup", "--to", copy] + common)
            #expect(status != 0 && out.contains("exists"))
        }
    }
}
