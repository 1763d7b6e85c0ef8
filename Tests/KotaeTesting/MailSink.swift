import Foundation

/// A real SMTP server for a test (`Tests/mail/smtp_server.py`, aiosmtpd): STARTTLS with a
/// certificate made for the test, AUTH with one user, each accepted message kept as a file.
public final class MailSink: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    /// The test certificate, which the client is told to trust (nothing else trusts it).
    public let certificatePEM: String
    public let user = "shop"
    public let password = "secret"
    private let server: ChildProcess

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts the server; recipients containing `reject` get 550 5.1.1, `tempfail` 451.
    /// Every helper runs as a `ChildProcess` with its output in a file and a bounded wait:
    /// a stuck helper fails the test rather than holding the suite (Foundation's `Process`
    /// and pipe reads once hung a CI run until its time ran out).
    public init(reject: String = "", tempfail: String = "") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem"), key = directory.appendingPathComponent("key.pem")
        try await Self.run(
            [
                "openssl",
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out", cert.path,
            ], in: directory)
        certificatePEM = try String(contentsOf: cert, encoding: .utf8)
        let log = directory.appendingPathComponent("server.log")
        server = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", Self.repository.appendingPathComponent("Tests/mail/smtp_server.py").path, "--dir",
                directory.appendingPathComponent("received").path, "--cert", cert.path, "--key", key.path, "--reject", reject, "--tempfail",
                tempfail,
            ], environment: ProcessInfo.processInfo.environment, output: log.path)
        // Wait for "ready <port>": the server takes a port the system says is free, so it never
        // collides with the other tests' servers, which pick theirs at random.
        let deadline = ContinuousClock.now + .seconds(30)
        var port: Int?
        while port == nil, server.isRunning, ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            port = text.split(separator: "\n").first { $0.hasPrefix("ready ") }.flatMap { Int($0.dropFirst(6)) }
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let port else {
            await server.exited(within: .zero)
            throw SinkFailed("the SMTP test server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "no output")")
        }
        self.port = port
    }

    deinit { stop() }

    /// Ends the server at once (SIGKILL: it has nothing worth a graceful stop, and a wait
    /// here must not be able to hang).
    public func stop() {
        guard server.isRunning else { return }
        server.terminate(signal: SIGKILL)
        server.waitUntilExit()
    }

    /// The messages received so far, oldest first: raw bytes and envelope.
    public func received() throws -> [(raw: Data, envelope: [String: Any])] {
        let folder = directory.appendingPathComponent("received")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let numbers = names.filter { $0.hasSuffix(".json") }.compactMap { Int($0.dropLast(5)) }.sorted()
        return try numbers.map { n in
            let raw = try Data(contentsOf: folder.appendingPathComponent("\(n).eml"))
            let env = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(n).json"))) as! [String: Any]
            return (raw, env)
        }
    }

    /// A received message as Python's `email` package reads it (`Tests/mail/parse_mail.py`).
    public func parsed(_ raw: Data) async throws -> [String: Any] {
        let file = directory.appendingPathComponent("parse-\(UUID().uuidString).eml")
        try raw.write(to: file)
        let output = try await Self.run(
            ["python3", Self.repository.appendingPathComponent("Tests/mail/parse_mail.py").path, file.path], in: directory)
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
    }

    /// Runs a short helper found on PATH and returns its output; more than 60 s is a failure.
    @discardableResult
    static func run(_ command: [String], in folder: URL) async throws -> String {
        let output = folder.appendingPathComponent("run-\(UUID().uuidString).out")
        let p = try ChildProcess(
            executable: "/usr/bin/env", arguments: command, environment: ProcessInfo.processInfo.environment, output: output.path)
        let text = { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        guard await p.exited(within: .seconds(60)) else { throw SinkFailed("\(command[0]) took more than 60 s: \(text())") }
        guard p.terminationStatus == 0 else { throw SinkFailed("\(command[0]) failed (\(p.terminationStatus)): \(text())") }
        return text()
    }

    struct SinkFailed: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
