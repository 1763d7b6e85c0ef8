import ArgumentParser
import Foundation
import KotaeServer
import KotaeCore
import KotaeStore
import Logging

@main
struct Kotae: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kotae",
        abstract: "Kotae (答え): the customer-care desk for online shops.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, Demo.self, Import.self, Orders.self, Backup.self, Bench.self, Eval.self],
        defaultSubcommand: Serve.self)
}

/// Options every command that opens the database shares. Unset flags fall back to
/// `KOTAE_*` environment variables, then to defaults.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory for the SQLite file and attachments (KOTAE_DATA_DIR, default ./kotae-data).")
    var dataDir: String?

    @Option(
        name: .customLong("database"),
        help: "postgres://user:pass@host:port/db, or sqlite:PATH (KOTAE_DATABASE_URL; default SQLite in the data directory).")
    var database: String?

    @Option(
        name: .customLong("secret-key"),
        help: "Key for encrypting credentials at rest (KOTAE_SECRET_KEY; generated into the data directory when unset).")
    var secretKey: String?

    var flags: [String: String] {
        var f: [String: String] = [:]
        f["data.dir"] = dataDir
        f["database.url"] = database
        f["secret.key"] = secretKey
        return f
    }

    func config(extra: [String: String] = [:]) async throws -> KotaeConfig {
        do {
            return try await KotaeConfig.load(flags: flags.merging(extra) { _, b in b })
        } catch let e as KotaeConfig.Invalid {
            throw ValidationError(e.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (migrates the database first).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on (KOTAE_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (KOTAE_PORT, default 8080).") var port: Int?
    @Flag(help: "Load the demo shop on first start (KOTAE_DEMO).") var demo = false
    @Option(help: "all, web or worker (KOTAE_ROLE, default all).") var role: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body (KOTAE_MAX_BODY_BYTES, default 25 MB).") var maxBodyBytes: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (KOTAE_LOG_LEVEL).") var logLevel: String?
    @Option(name: .customLong("public-url"), help: "Kotae's public https address, for webhooks and the files platforms fetch (KOTAE_PUBLIC_URL).")
    var publicURL: String?

    func run() async throws {
        var extra: [String: String] = [:]
        extra["host"] = host
        extra["port"] = port.map(String.init)
        extra["demo"] = demo ? "true" : nil
        extra["role"] = role
        extra["max.body.bytes"] = maxBodyBytes.map(String.init)
        extra["log.level"] = logLevel
        extra["public.url"] = publicURL
        let config = try await store.config(extra: extra)
        let app = try await buildApplication(config: config)
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let config = try await store.config()
        let db = try await KotaeDatabase.open(url: config.effectiveDatabaseURL, logger: Logger(label: "kotae.migrate"))
        let applied = try await db.migrate()
        await db.close()
        print(applied.isEmpty ? "The database is up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
    }
}
