import Configuration
import Foundation
import SystemPackage

/// Everything `kotae serve` is told, parsed once at start: command-line flags over
/// `KOTAE_*` environment variables over defaults. Every problem is reported at once.
public struct KotaeConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Where the SQLite file and attachments live.
    public var dataDirectory: String = "./kotae-data"
    /// `postgres://…` for PostgreSQL; nil = SQLite in the data directory.
    public var databaseURL: String?
    /// Key for encrypting credentials at rest and signing; generated into the data directory when unset.
    public var secretKey: String?
    /// Connections in the PostgreSQL pool.
    public var databasePoolSize: Int = 16
    public var maxBodyBytes: Int = defaultMaxBodyBytes
    public static let defaultMaxBodyBytes = 25 * 1024 * 1024
    public var bcryptCost: UInt8 = 11
    /// Load the demo shop on first start.
    public var demo: Bool = false
    /// Create this admin on first start instead of printing a set-up link.
    public var adminEmail: String?
    public var adminPassword: String?
    /// Run the HTTP server, the background workers, or both.
    public var role: Role = .all
    /// Session cookies only over HTTPS: on by default when the public URL is https
    /// (`KOTAE_SECURE_COOKIES` overrides, e.g. for a TLS proxy without a public URL).
    public var secureCookiesOverride: Bool?
    public var secureCookies: Bool { secureCookiesOverride ?? (publicURL?.lowercased().hasPrefix("https://") ?? false) }
    /// How often an open live stream checks that its session or token still holds.
    public var streamRecheckSeconds: Int = 30
    /// Chat widget messages one network address may send a minute, across its visitors (each
    /// visitor may send 20). Customers behind one office or carrier address share it.
    public var chatMessagesPerAddress: Int = 120
    public var publicURL: String?
    public var logLevel: String = "info"
    /// LINE's API hosts; tests point them at a local fake server.
    public var lineAPIBase: String = "https://api.line.me"
    public var lineDataBase: String = "https://api-data.line.me"
    /// The Graph API (Facebook, Instagram), with its version.
    public var graphAPIBase: String = "https://graph.facebook.com/v21.0"
    public var xAPIBase: String = "https://api.x.com"
    /// Rakuten's RMS WEB SERVICE.
    public var rakutenAPIBase: String = "https://api.rms.rakuten.co.jp"
    /// BASE's API.
    public var baseAPIBase: String = "https://api.thebase.in"
    /// A PEM file of certificates to trust for the mail servers (IMAP, SMTP) instead of the
    /// system's: a self-hosted relay with its own CA (`KOTAE_MAIL_CA_FILE`).
    public var mailCAFile: String?
    /// The inbound SMTP and LMTP listeners (for an MTA relaying the shop's mail); nil: off.
    public var mailSMTPPort: Int?
    public var mailLMTPPort: Int?
    /// Where they listen: loopback unless an MTA on another host relays.
    public var mailListenHost: String = "127.0.0.1"
    /// The largest mail the listeners take.
    public var mailMaxBytes: Int = defaultMaxBodyBytes

    public enum Role: String, Sendable, CaseIterable {
        case all, web, worker
    }

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "invalid configuration:\n" + problems.map { "  - " + $0 }.joined(separator: "\n") }
    }

    /// Reads `flags` (keys like `port`, `database.url`) over the environment (`KOTAE_PORT`,
    /// `KOTAE_DATABASE_URL`) over the `.env` file in the working directory (`envFile`; a
    /// missing file is fine) over the defaults. Every problem is reported at once.
    public static func load(
        flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        envFile: String? = ".env"
    ) async throws -> KotaeConfig {
        let secrets = SecretsSpecifier<String, String>.dynamic { key, _ in key.contains("SECRET") || key.contains("PASSWORD") }
        // Flags are named as their variables would be (`database.url` is KOTAE_DATABASE_URL),
        // so one provider type parses every layer the same way.
        let flagVariables = Dictionary(
            uniqueKeysWithValues: flags.map { key, value in
                ("KOTAE_" + key.uppercased().replacingOccurrences(of: ".", with: "_"), value)
            })
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: flagVariables, secretsSpecifier: secrets),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: secrets),
        ]
        var problems: [String] = []
        if let envFile {
            do {
                providers.append(
                    try await EnvironmentVariablesProvider(
                        environmentFilePath: FilePath(envFile), allowMissing: true,
                        secretsSpecifier: secrets))
            } catch {
                problems.append("\(envFile): cannot be read (\(error))")
            }
        }
        let reader = ConfigReader(providers: providers).scoped(to: "kotae")

        var c = KotaeConfig()
        // Typed reads; a value that is there but not of the type is named, not silently ignored.
        func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            let k = ConfigKey(key)
            guard let given = reader.string(forKey: k) else { return nil }
            guard let v = reader.int(forKey: k), range.contains(v) else {
                problems.append("\(key): '\(given)' is not a number in \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return v
        }
        func bool(_ key: String) -> Bool? {
            let k = ConfigKey(key)
            guard let given = reader.string(forKey: k) else { return nil }
            if given.isEmpty { return false }
            guard let v = reader.bool(forKey: k) else {
                problems.append("\(key): '\(given)' is not true or false")
                return nil
            }
            return v
        }
        c.host = reader.string(forKey: "host") ?? c.host
        c.port = int("port", 0...65535) ?? c.port
        c.dataDirectory = reader.string(forKey: "data.dir") ?? c.dataDirectory
        c.databaseURL = reader.string(forKey: "database.url").flatMap { $0.isEmpty ? nil : $0 }
        c.secretKey = reader.string(forKey: "secret.key", isSecret: true)
        c.databasePoolSize = int("database.pool.size", 1...500) ?? c.databasePoolSize
        c.maxBodyBytes = int("max.body.bytes", 1024...(1 << 31)) ?? c.maxBodyBytes
        c.bcryptCost = UInt8(int("bcrypt.cost", 4...16) ?? Int(c.bcryptCost))
        c.demo = bool("demo") ?? c.demo
        c.adminEmail = reader.string(forKey: "admin.email")
        c.adminPassword = reader.string(forKey: "admin.password", isSecret: true)
        c.publicURL = reader.string(forKey: "public.url")
        c.secureCookiesOverride = bool("secure.cookies")
        c.streamRecheckSeconds = int("stream.recheck.seconds", 1...3600) ?? c.streamRecheckSeconds
        c.chatMessagesPerAddress = int("chat.messages.per.address", 1...1_000_000) ?? c.chatMessagesPerAddress
        c.logLevel = reader.string(forKey: "log.level") ?? c.logLevel
        c.lineAPIBase = reader.string(forKey: "line.api.base") ?? c.lineAPIBase
        c.lineDataBase = reader.string(forKey: "line.data.base") ?? c.lineDataBase
        c.graphAPIBase = reader.string(forKey: "graph.api.base") ?? c.graphAPIBase
        c.xAPIBase = reader.string(forKey: "x.api.base") ?? c.xAPIBase
        c.rakutenAPIBase = reader.string(forKey: "rakuten.api.base") ?? c.rakutenAPIBase
        c.baseAPIBase = reader.string(forKey: "base.api.base") ?? c.baseAPIBase
        c.mailCAFile = reader.string(forKey: "mail.ca.file")
        if let file = c.mailCAFile, !FileManager.default.fileExists(atPath: file) {
            problems.append("mail.ca.file: '\(file)' does not exist")
        }
        c.mailSMTPPort = int("mail.smtp.port", 0...65535)
        c.mailLMTPPort = int("mail.lmtp.port", 0...65535)
        c.mailListenHost = reader.string(forKey: "mail.listen.host") ?? c.mailListenHost
        c.mailMaxBytes = int("mail.max.bytes", 1024...(1 << 31)) ?? c.mailMaxBytes
        if let r = reader.string(forKey: "role") {
            if let role = Role(rawValue: r) { c.role = role } else { problems.append("role: '\(r)' is not one of all, web, worker") }
        }
        if let url = c.databaseURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.hasPrefix("sqlite:")) {
            problems.append("database.url: '\(url)' must start with postgres:// or sqlite:")
        }
        if let p = c.adminPassword, p.count < 8 { problems.append("admin.password: must be at least 8 characters") }
        if (c.adminEmail == nil) != (c.adminPassword == nil) { problems.append("admin.email and admin.password: give both or neither") }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return c
    }

    /// The database URL in effect: the given one or the SQLite file in the data directory.
    public var effectiveDatabaseURL: String {
        databaseURL ?? "sqlite:" + URL(fileURLWithPath: dataDirectory).appendingPathComponent("kotae.sqlite").path
    }

    public var baseURL: String { publicURL ?? "http://\(host):\(port)" }
}
