import AsyncHTTPClient
import Foundation
import KotaeStore
import KotaeTesting

/// The built `kotae` executable, run as its own process.
enum KotaeBinary {
    static var path: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("kotae").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/kotae"
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    /// A `kotae serve` that answers /health, and where.
    struct Served {
        let process: ChildProcess
        let port: Int
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// Starts `kotae serve` on a free port and waits until it answers /health. The port is
    /// picked below Linux's ephemeral range (32768+), where any test's client socket may hold
    /// it; another test's server may still have taken it between the pick and the bind, so a
    /// server that exits saying so is started again on another port.
    static func serve(
        _ binary: String, dataDir: String, database: String?, secret: String? = nil, environment: [String: String] = [:]
    ) async throws -> Served {
        for _ in 1...5 {
            let port = Int.random(in: 15000...32767)
            let process = try start(binary, dataDir: dataDir, database: database, port: port, secret: secret, environment: environment)
            let log = dataDir + "/serve-\(port).log"
            do {
                try await waitHealthy(HTTPClient.shared, "http://127.0.0.1:\(port)", log: log, process: process)
                return Served(process: process, port: port)
            } catch {
                process.end(grace: .zero)
                let said = FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? ""
                guard said.contains("Address already in use") else { throw error }
            }
        }
        throw DatabaseError("kotae serve found no free port in five tries")
    }

    private static func start(
        _ binary: String, dataDir: String, database: String?, port: Int, secret: String?, environment extra: [String: String]
    ) throws -> ChildProcess {
        var env = ProcessInfo.processInfo.environment
        env["KOTAE_ADMIN_EMAIL"] = "admin@kill.test"
        env["KOTAE_ADMIN_PASSWORD"] = "kill-test-password"
        env["KOTAE_BCRYPT_COST"] = "4"
        env["KOTAE_DATABASE_POOL_SIZE"] = "4"
        if let secret { env["KOTAE_SECRET_KEY"] = secret }
        env.merge(extra) { _, new in new }
        // Kept for a failed start: waitHealthy shows its end.
        let log = dataDir + "/serve-\(port).log"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        return try ChildProcess(
            executable: binary,
            arguments: ["serve", "--data-dir", dataDir, "--port", String(port), "--log-level", "error"]
                + (database.map { ["--database", $0] } ?? []),
            environment: env, output: log)
    }

    /// SIGTERM, then waits (without blocking a thread) for a graceful exit; SIGKILL after 15 s.
    /// Returns whether it exited by itself with status 0.
    static func stop(_ p: ChildProcess) async -> Bool {
        guard p.isRunning else { return false }
        p.terminate()
        let exited = (try? await eventually(timeout: 15) { !p.isRunning }) ?? false
        if !exited { kill(p.processIdentifier, SIGKILL) }
        _ = try? await eventually(timeout: 5) { !p.isRunning }
        return exited && p.terminationStatus == 0
    }

    /// Waits for /health. A whole suite on 2 cores can slow a debug server's start a lot,
    /// hence the minute; on failure the server's own log says why.
    private static func waitHealthy(_ http: HTTPClient, _ base: String, log: String, process: ChildProcess) async throws {
        let ok = try await eventually(timeout: 60) {
            guard process.isRunning else { return true }
            guard let r = try? await http.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(1)) else { return false }
            return r.status == .ok
        }
        if !ok || !process.isRunning {
            let tail = FileManager.default.contents(atPath: log).map { String(decoding: $0.suffix(2000), as: UTF8.self) } ?? ""
            throw DatabaseError("kotae serve did not become healthy at \(base)\n\(tail)")
        }
    }
}
