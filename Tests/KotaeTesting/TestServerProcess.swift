import Foundation

/// What the tests' real servers (aiosmtpd, Dovecot) share: a folder of their own, a
/// certificate made for the test, a helper script started as a `ChildProcess` that prints
/// "ready …" once it listens, and short commands run with a bounded wait. Output goes to
/// files, never pipes, and every wait has a limit: a stuck helper fails its test instead of
/// holding the suite.
public enum TestServerProcess {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new folder under the system's temporary one.
    static func folder(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A self-signed certificate for localhost and 127.0.0.1 in `directory`: its files and PEM.
    static func certificate(in directory: URL) async throws -> (cert: URL, key: URL, pem: String) {
        let cert = directory.appendingPathComponent("cert.pem"), key = directory.appendingPathComponent("key.pem")
        try await run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out", cert.path,
            ], in: directory)
        return (cert, key, try String(contentsOf: cert, encoding: .utf8))
    }

    /// Starts `Tests/<script>` (`mail/imap_server.py`) and waits for its "ready …" line;
    /// answers the process and the words after "ready".
    static func start(_ script: String, _ arguments: [String], in directory: URL) async throws -> (ChildProcess, [String]) {
        let log = directory.appendingPathComponent("\(URL(fileURLWithPath: script).lastPathComponent).log")
        let server = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["python3", repository.appendingPathComponent("Tests/\(script)").path] + arguments,
            environment: ProcessInfo.processInfo.environment, output: log.path)
        let deadline = ContinuousClock.now + .seconds(30)
        while server.isRunning, ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let ready = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) {
                return (server, ready.split(separator: " ").dropFirst().map(String.init))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.end(grace: .zero)
        throw Failed("\(script) did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "no output")")
    }

    /// Runs a short command found on PATH and returns its output; more than 60 s is a failure.
    @discardableResult
    public static func run(_ command: [String], in folder: URL) async throws -> String {
        let output = folder.appendingPathComponent("run-\(UUID().uuidString).out")
        let p = try ChildProcess(
            executable: "/usr/bin/env", arguments: command, environment: ProcessInfo.processInfo.environment, output: output.path)
        let text = { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        guard await p.exited(within: .seconds(60)) else { throw Failed("\(command[0]) took more than 60 s: \(text())") }
        guard p.terminationStatus == 0 else { throw Failed("\(command[0]) failed (\(p.terminationStatus)): \(text())") }
        return text()
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
