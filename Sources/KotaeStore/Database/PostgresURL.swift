import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…` URL read with
/// libpq's meanings, so a URL copied from a managed PostgreSQL's console means here what it
/// means to `psql`. postgres-kit's own URL reader verifies the certificate fully in every
/// mode, which refuses `require` against a server with a self-signed certificate.
struct PostgresURL: Sendable, Equatable {
    /// libpq's `sslmode` values; `prefer` is the default, as in libpq.
    enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?
    var sslMode: SSLMode
    /// A CA file (PEM), or "system" for the system's roots. libpq's default is a file in the
    /// user's home; Kotae uses the system roots, which is what a managed database's
    /// publicly signed certificate needs.
    var rootCertificate: String?
    var connectTimeout: Duration?

    /// Parameters that change nothing here but are harmless in a copied URL.
    private static let ignored: Set<String> = ["application_name"]

    init(_ text: String) throws(DatabaseError) {
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql",
            let host = c.host, !host.isEmpty
        else {
            throw DatabaseError("cannot read the PostgreSQL URL (postgres://user:password@host:port/database?sslmode=require)")
        }
        self.host = host
        port = c.port ?? 5432
        user = c.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = c.password.flatMap { $0.removingPercentEncoding }
        database = c.path.count > 1 ? String(c.path.dropFirst()) : nil
        sslMode = .prefer
        for item in c.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw DatabaseError("the PostgreSQL URL's sslmode '\(value)' is not one of \(known)")
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else {
                    throw DatabaseError("the PostgreSQL URL's connect_timeout '\(value)' is not a whole number of seconds")
                }
                connectTimeout = seconds == 0 ? nil : .seconds(seconds)
            case let name where Self.ignored.contains(name):
                break
            default:
                throw DatabaseError(
                    "the PostgreSQL URL has a parameter Kotae does not know: '\(item.name)' (known: sslmode, sslrootcert, connect_timeout)")
            }
        }
        if rootCertificate != nil && (sslMode == .disable) {
            throw DatabaseError("the PostgreSQL URL names sslrootcert but sslmode=disable turns TLS off")
        }
    }

    /// As libpq: `require` with a CA file checks the chain like `verify-ca`.
    private var verification: CertificateVerification {
        switch sslMode {
        case .disable, .allow, .prefer: .none
        case .require: rootCertificate == nil ? .none : .noHostnameVerification
        case .verifyCA: .noHostnameVerification
        case .verifyFull: .fullVerification
        }
    }

    /// The TLS settings for the URL's sslmode, or nil for none.
    private func tlsConfiguration() throws -> TLSConfiguration? {
        if sslMode == .disable { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = verification
        if let file = rootCertificate, file != "system", verification != .none {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw DatabaseError("the PostgreSQL URL's sslrootcert '\(file)' cannot be read")
            }
            tls.trustRoots = .file(file)
        }
        return tls
    }

    /// TLS is mandatory from `require` on; `allow` and `prefer` take it when the server offers
    /// it (libpq's `allow` tries without TLS first: the pool can only prefer, which is stricter).
    private var tlsRequired: Bool { ![.disable, .allow, .prefer].contains(sslMode) }

    func clientConfiguration(maxConnections: Int) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = try tlsConfiguration().map { tlsRequired ? .require($0) : .prefer($0) } ?? .disable
        var config = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        config.options.maximumConnections = maxConnections
        if let connectTimeout { config.options.connectTimeout = connectTimeout }
        return config
    }

    /// One connection outside the pool: the pool retries a refused connection for a minute
    /// before it gives up, and then without the server's reason.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            try tlsConfiguration().map {
                let context = try NIOSSLContext(configuration: $0)
                return tlsRequired ? .require(context) : .prefer(context)
            } ?? .disable
        var config = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        if let connectTimeout { config.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000) }
        return config
    }

    /// What went wrong while connecting, in words that point at the URL's TLS settings.
    func explain(_ error: any Error) -> DatabaseError {
        let place = "PostgreSQL at \(host):\(port)"
        if let e = error as? PSQLError {
            if e.code == .sslUnsupported {
                return DatabaseError("\(place) does not offer TLS, but the URL asks for sslmode=\(sslMode.rawValue)")
            }
            if let underlying = e.underlying, underlying is NIOSSLError || underlying is BoringSSLError {
                let roots = rootCertificate.map { "CA file \($0)" } ?? "the system's CA certificates"
                return DatabaseError(
                    "\(place): its TLS certificate was refused (sslmode=\(sslMode.rawValue), checked against \(roots)): \(underlying)")
            }
            if let message = e.serverInfo?[.message] {
                return DatabaseError("\(place) refused the connection: \(message)")
            }
            if let underlying = e.underlying {
                return DatabaseError("cannot connect to \(place): \(underlying)")
            }
        }
        return DatabaseError("cannot connect to \(place): \(error)")
    }
}
