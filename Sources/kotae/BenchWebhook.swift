import AsyncHTTPClient
import Foundation
import KotaeChannels
import NIOCore

/// Signed LINE webhooks into a LINE inbox, one new message event per request, with `wrk`.
/// The bodies and their signatures are made beforehand (wrk's Lua has no HMAC) and each is
/// sent once: a run that would need more than were made fails instead of sending repeats,
/// which are cheaper (deduplicated) and would flatter the figure.
struct WebhookBench {
    let base: String
    let token: String
    static let secret = "bench-channel-secret"

    func run(duration: Double, connections: Int, report: inout BenchReport) async throws {
        guard let wrk = WrkIngest.executable else {
            report.add("signed LINE webhook ingest (SQLite)", "not measured: install wrk (Debian package wrk)", "≥ 3,000 events/s")
            return
        }
        let inbox = try await createInbox()
        let count = Int(duration) * 12_000
        let runId = UUID().uuidString.prefix(8)
        var lines = ""
        lines.reserveCapacity(count * 420)
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        for n in 0..<count {
            let body = #"{"destination":"Ubench","events":[{"type":"message","message":{"type":"text","id":"\#(runId)\#(n)","text":"注文した自転車がまだ届きません #\#(n)"},"webhookEventId":"01BENCH\#(runId)\#(n)","deliveryContext":{"isRedelivery":false},"timestamp":\#(start + Int64(n)),"source":{"type":"user","userId":"Ubench\#(n % 200)"},"replyToken":"rt\#(runId)\#(n)","mode":"active"}]}"#
            lines += LINEWebhook.sign(body: Data(body.utf8), channelSecret: Self.secret) + "\t" + body + "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-line-bodies-\(runId).txt")
        try lines.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            local sigs, bodies, n = {}, {}, 0
            for line in io.lines("\(file.path)") do
              local tab = line:find("\\t", 1, true)
              sigs[#sigs + 1] = line:sub(1, tab - 1)
              bodies[#bodies + 1] = line:sub(tab + 1)
            end
            request = function()
              n = n + 1
              if n > #bodies then io.write("kotae-wrapped\\n"); n = 1 end
              return wrk.format("POST", nil, { ["x-line-signature"] = sigs[n] }, bodies[n])
            end
            done = function(summary, latency, requests)
              io.write(string.format("kotae-p50 %.3f\\nkotae-p99 %.3f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
            end
            """
        let r = try WrkIngest.run(executable: wrk, url: "\(base)/webhooks/line/\(inbox)", script: script,
                                  headers: ["Content-Type: application/json"], duration: duration, connections: connections)
        report.add("signed LINE webhook ingest, one new message per request (wrk, \(connections) connections, \(Int(duration)) s, SQLite)",
                   String(format: "%.0f events/s (p50 %.1f ms, p99 %.1f ms)", r.rate, r.p50, r.p99), "≥ 3,000 events/s")
    }

    private func createInbox() async throws -> Int64 {
        var req = HTTPClientRequest(url: "\(base)/api/v1/inboxes")
        req.method = .POST
        req.headers.add(name: "Authorization", value: "Bearer \(token)")
        req.headers.add(name: "Content-Type", value: "application/json")
        req.body = .bytes(ByteBuffer(string: #"{"name":"LINE bench","channel":"line","credentials":{"channelSecret":"\#(Self.secret)","channelAccessToken":"bench"}}"#))
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(10))
        let body = try await res.body.collect(upTo: 1 << 20)
        guard res.status == .created, let id = (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["id"] as? Int else {
            throw BenchFailure("could not create the LINE inbox: \(res.status)")
        }
        return Int64(id)
    }
}
