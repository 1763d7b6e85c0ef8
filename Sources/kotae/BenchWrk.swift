import Foundation

/// Sustained ingest driven by `wrk` (Debian package `wrk`), when it is installed.
///
/// Why a second client: the in-process Swift client costs about as much CPU per request as
/// the server, and on a 2-core machine it takes that CPU from the server it measures. wrk is
/// a separate C process that needs a fraction of it. Every request carries a new message id,
/// so each one is a real ingest, never a duplicate.
struct WrkIngest {
    let executable: String
    let url: String
    let token: String

    struct Result {
        var rate: Double
        var p50: Double
        var p99: Double
    }

    /// wrk on the PATH, if installed.
    static var executable: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return paths.map { "\($0)/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// nil when `wrk` is not on the PATH.
    init?(base: String, token: String, inboxId: Int64) {
        guard let found = Self.executable else { return nil }
        executable = found
        url = "\(base)/api/v1/inboxes/\(inboxId)/messages"
        self.token = token
    }

    func run(duration: Double, connections: Int) throws -> Result {
        try Self.run(
            executable: executable, url: url, script: Self.script(runId: UUID().uuidString),
            headers: ["Authorization: Bearer \(token)", "Content-Type: application/json"],
            duration: duration, connections: connections)
    }

    /// Runs wrk with a Lua script that must print `kotae-p50` and `kotae-p99` when done.
    static func run(
        executable: String, url: String, script text: String, headers: [String],
        duration: Double, connections: Int
    ) throws -> Result {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-wrk-\(UUID().uuidString).lua")
        try text.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            ["-t1", "-c\(connections)", "-d\(Int(duration))s", "-s", script.path]
            + headers.flatMap { ["-H", $0] } + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw BenchFailure("wrk failed:\n\(text)") }
        // Any error answer or socket error means the run did not measure what it claims.
        if text.contains("Non-2xx") || text.contains("Socket errors") || text.contains("kotae-wrapped") {
            throw BenchFailure("wrk saw errors:\n\(text)")
        }
        guard let rate = Self.number(after: "Requests/sec:", in: text),
            let p50 = Self.number(after: "kotae-p50", in: text),
            let p99 = Self.number(after: "kotae-p99", in: text)
        else {
            throw BenchFailure("cannot read wrk's output:\n\(text)")
        }
        return Result(rate: rate, p50: p50, p99: p99)
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        return Double(rest.prefix { $0.isNumber || $0 == "." })
    }

    /// A wrk script posting a new message per request, the same shape as the Swift client's.
    private static func script(runId: String) -> String {
        """
        local n = 0
        request = function()
          n = n + 1
          local body = '{"contact":{"channel":"api","externalId":"cust-' .. (n % 5000) .. '","name":"客 ' .. (n % 5000) .. '"},' ..
            '"externalId":"wrk-\(runId)-' .. n .. '","text":"注文した自転車がまだ届きません #' .. n .. '"}'
          return wrk.format("POST", nil, nil, body)
        end
        done = function(summary, latency, requests)
          io.write(string.format("kotae-p50 %.3f\\nkotae-p99 %.3f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
        end
        """
    }
}
