import AsyncHTTPClient
import Foundation
import KotaeChannels
import NIOCore

/// Signed webhooks into a LINE, a Facebook Page and an X inbox, one new customer message
/// per request, with `wrk`. The bodies and their signatures are made beforehand (wrk's Lua
/// has no HMAC) and each is sent once: a run that would need more than were made fails
/// instead of sending repeats, which are cheaper (deduplicated) and would flatter the figure.
struct WebhookBench {
    let base: String
    let token: String

    /// One platform's webhook: its inbox, its signature header and its body for message `n`.
    struct Platform: Sendable {
        let name: String
        let inboxJSON: String
        let path: String
        let header: String
        let body: @Sendable (_ run: Substring, _ n: Int, _ at: Int64) -> String
        let sign: @Sendable (Data) -> String
    }

    static let platforms: [Platform] = [
        Platform(
            name: "LINE",
            inboxJSON: #"{"name":"LINE bench","channel":"line","credentials":{"channelSecret":"bench-line-secret","channelAccessToken":"bench"}}"#,
            path: "line", header: "x-line-signature",
            body: { run, n, at in
                #"{"destination":"Ubench","events":[{"type":"message","message":{"type":"text","id":"\#(run)\#(n)","text":"注文した自転車がまだ届きません #\#(n)"},"webhookEventId":"01BENCH\#(run)\#(n)","deliveryContext":{"isRedelivery":false},"timestamp":\#(at),"source":{"type":"user","userId":"Ubench\#(n % 200)"},"replyToken":"rt\#(run)\#(n)","mode":"active"}]}"#
            },
            sign: { LINEWebhook.sign(body: $0, channelSecret: "bench-line-secret") }),
        Platform(
            name: "Facebook Messenger",
            inboxJSON:
                #"{"name":"Facebook bench","channel":"facebook","settings":{"pageId":"105000000000001"},"credentials":{"appSecret":"bench-app-secret","verifyToken":"v","pageAccessToken":"bench"}}"#,
            path: "facebook", header: "X-Hub-Signature-256",
            body: { run, n, at in
                #"{"object":"page","entry":[{"id":"105000000000001","time":\#(at),"messaging":[{"sender":{"id":"61000\#(n % 200)"},"recipient":{"id":"105000000000001"},"timestamp":\#(at),"message":{"mid":"m_\#(run)_\#(n)","text":"注文した自転車がまだ届きません #\#(n)"}}]}]}"#
            },
            sign: { "sha256=" + WebhookSignature.hmacSHA256Hex(secret: "bench-app-secret", body: $0) }),
        Platform(
            name: "X",
            inboxJSON:
                #"{"name":"X bench","channel":"x","settings":{"userId":"2244994945"},"credentials":{"consumerSecret":"bench-consumer-secret","accessToken":"bench"}}"#,
            path: "x", header: "x-twitter-webhooks-signature",
            body: { run, n, at in
                #"{"for_user_id":"2244994945","direct_message_events":[{"type":"message_create","id":"\#(run)\#(n)","created_timestamp":"\#(at)","message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"30000\#(n % 200)","message_data":{"text":"注文した自転車がまだ届きません #\#(n)"}}}],"users":{"30000\#(n % 200)":{"name":"Bench","screen_name":"bench\#(n % 200)"}}}"#
            },
            sign: { XWebhook.sign(body: $0, consumerSecret: "bench-consumer-secret") }),
    ]

    func run(_ p: Platform, duration: Double, connections: Int, report: inout BenchReport) async throws {
        let label = "signed \(p.name) webhook ingest, one new message per request"
        guard let wrk = WrkIngest.executable else {
            report.add(label, "not measured: install wrk (Debian package wrk)", "≥ 3,000 events/s")
            return
        }
        let inbox = try await createInbox(p)
        let count = Int(duration) * 12_000
        let runId = UUID().uuidString.prefix(8)
        var lines = ""
        lines.reserveCapacity(count * 480)
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        for n in 0..<count {
            let body = p.body(runId, n, start + Int64(n))
            lines += p.sign(Data(body.utf8)) + "\t" + body + "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-\(p.path)-bodies-\(runId).txt")
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
              return wrk.format("POST", nil, { ["\(p.header)"] = sigs[n] }, bodies[n])
            end
            done = function(summary, latency, requests)
              io.write(string.format("kotae-p50 %.3f\\nkotae-p99 %.3f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
            end
            """
        let r = try WrkIngest.run(
            executable: wrk, url: "\(base)/webhooks/\(p.path)/\(inbox)", script: script,
            headers: ["Content-Type: application/json"], duration: duration, connections: connections)
        report.add(
            "\(label) (wrk, \(connections) connections, \(Int(duration)) s, SQLite)",
            String(format: "%.0f events/s (p50 %.1f ms, p99 %.1f ms)", r.rate, r.p50, r.p99), "≥ 3,000 events/s")
    }

    private func createInbox(_ p: Platform) async throws -> Int64 {
        var req = HTTPClientRequest(url: "\(base)/api/v1/inboxes")
        req.method = .POST
        req.headers.add(name: "Authorization", value: "Bearer \(token)")
        req.headers.add(name: "Content-Type", value: "application/json")
        req.body = .bytes(ByteBuffer(string: p.inboxJSON))
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(10))
        let body = try await res.body.collect(upTo: 1 << 20)
        guard res.status == .created, let id = (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["id"] as? Int else {
            throw BenchFailure("could not create the \(p.name) inbox: \(res.status)")
        }
        return Int64(id)
    }
}
