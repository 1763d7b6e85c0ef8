import Foundation

/// A real SMTP server for a test (`Tests/mail/smtp_server.py`, aiosmtpd): STARTTLS with a
/// certificate made for the test, AUTH with one user, each accepted message kept as a file.
public final class MailSink: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    /// The test certificate, which the client is told to trust (nothing else trusts it).
    public let certificatePEM: String
    public let user = "shop"
    public let password: String
    private let server: ChildProcess

    /// Starts the server; recipients containing `reject` get 550 5.1.1, `tempfail` 451.
    public init(reject: String = "", tempfail: String = "", password: String = "secret") async throws {
        self.password = password
        directory = try TestServerProcess.folder("kotae-mail")
        let (cert, key, pem) = try await TestServerProcess.certificate(in: directory)
        certificatePEM = pem
        // The server takes a port the system says is free, so it never collides with the
        // other tests' servers, which pick theirs at random.
        let (server, ready) = try await TestServerProcess.start(
            "mail/smtp_server.py",
            [
                "--dir", directory.appendingPathComponent("received").path, "--cert", cert.path, "--key", key.path, "--reject", reject, "--tempfail",
                tempfail, "--password", password,
            ],
            in: directory)
        self.server = server
        guard let port = ready.first.flatMap(Int.init) else { throw TestServerProcess.Failed("the SMTP test server gave no port: \(ready)") }
        self.port = port
    }

    deinit { stop() }

    /// Ends the server at once (it has nothing worth a graceful stop).
    public func stop() { server.end(grace: .zero) }

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
        let output = try await TestServerProcess.run(
            ["python3", TestServerProcess.repository.appendingPathComponent("Tests/mail/parse_mail.py").path, file.path], in: directory)
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
    }
}
