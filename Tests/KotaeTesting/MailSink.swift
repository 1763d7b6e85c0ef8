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
    private let process: Process
    private let stdin: Pipe

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts the server; recipients containing `reject` get 550 5.1.1, `tempfail` 451.
    public init(reject: String = "", tempfail: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem"), key = directory.appendingPathComponent("key.pem")
        try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out", cert.path,
            ])
        certificatePEM = try String(contentsOf: cert, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.repository.appendingPathComponent("Tests/mail/smtp_server.py").path, "--dir",
            directory.appendingPathComponent("received").path, "--cert", cert.path, "--key", key.path, "--reject", reject, "--tempfail", tempfail,
        ]
        stdin = Pipe()
        let out = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        try process.run()
        // Wait for "ready <port>": the server takes a port the system says is free, so it never
        // collides with the other tests' servers, which pick theirs at random.
        let line = out.fileHandleForReading.availableLine()
        guard let line, line.hasPrefix("ready "), let port = Int(line.dropFirst(6)) else {
            throw SinkFailed("the SMTP test server did not start: \(line ?? "no output")")
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            try? stdin.fileHandleForWriting.close()
            process.terminate()
            process.waitUntilExit()
        }
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
    public func parsed(_ raw: Data) throws -> [String: Any] {
        let file = directory.appendingPathComponent("parse-\(UUID().uuidString).eml")
        try raw.write(to: file)
        let output = try Self.run("/usr/bin/env", ["python3", Self.repository.appendingPathComponent("Tests/mail/parse_mail.py").path, file.path])
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw SinkFailed("\(tool) \(arguments.first ?? "") failed (\(p.terminationStatus))") }
        return String(decoding: data, as: UTF8.self)
    }

    struct SinkFailed: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

extension FileHandle {
    /// One line of output (blocking), without its newline; nil at the end.
    func availableLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let d = readData(ofLength: 1)
            if d.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if d.first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(d.first!)
        }
    }
}
