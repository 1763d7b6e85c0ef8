import AsyncHTTPClient
import Foundation
import KotaeChannels
import NIOCore

/// Signed webhooks into a LINE, a Facebook Page and an X inbox (one new customer message per
/// request) and into a connected Shopify store (one new order per request), with `wrk`. The bodies and their signatures are made beforehand (wrk's Lua
/// has no HMAC) and each is sent once: a run that would need more than were made fails
/// instead of sending repeats, which are cheaper (deduplicated) and would flatter the figure.
struct WebhookBench {
    let base: String
    let token: String

    /// One platform's webhook: what receives it (an inbox, a store), its headers and its body
    /// for event `n`.
    struct Platform: Sendable {
        let name: String
        /// The API collection that creates the receiver, and what is posted to it.
        var creates = "/api/v1/inboxes"
        let inboxJSON: String
        let path: String
        /// Headers that differ per request; the first carries the signature.
        let headers: [String]
        var fixedHeaders: [String] = []
        var what = "one new message per request"
        var target = "≥ 3,000 events/s"
        /// Bodies made per second of the run: more than the receiver takes, as none is sent twice.
        var bodiesPerSecond = 12_000
        let body: @Sendable (_ run: Substring, _ n: Int, _ at: Int64) -> String
        /// The values of `headers` for one body.
        let values: @Sendable (_ run: Substring, _ n: Int, _ body: Data) -> [String]

        init(
            name: String, creates: String = "/api/v1/inboxes", inboxJSON: String, path: String, header: String, fixedHeaders: [String] = [],
            what: String = "one new message per request", target: String = "≥ 3,000 events/s",
            body: @escaping @Sendable (Substring, Int, Int64) -> String, sign: @escaping @Sendable (Data) -> String
        ) {
            self.init(
                name: name, creates: creates, inboxJSON: inboxJSON, path: path, headers: [header], fixedHeaders: fixedHeaders, what: what,
                target: target, body: body, values: { _, _, data in [sign(data)] })
        }

        init(
            name: String, creates: String, inboxJSON: String, path: String, headers: [String], fixedHeaders: [String], what: String,
            target: String, bodiesPerSecond: Int = 12_000, body: @escaping @Sendable (Substring, Int, Int64) -> String,
            values: @escaping @Sendable (Substring, Int, Data) -> [String]
        ) {
            self.bodiesPerSecond = bodiesPerSecond
            self.name = name
            self.creates = creates
            self.inboxJSON = inboxJSON
            self.path = path
            self.headers = headers
            self.fixedHeaders = fixedHeaders
            self.what = what
            self.target = target
            self.body = body
            self.values = values
        }
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
        Platform(
            name: "Shopify orders/create", creates: "/api/v1/commerce/stores",
            inboxJSON:
                #"{"name":"Shopify bench","platform":"shopify","settings":{"shop":"bench-shop"},"credentials":{"clientId":"bench","clientSecret":"bench-client-secret"}}"#,
            path: "shopify", headers: ["X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id", "X-Shopify-Event-Id"],
            fixedHeaders: ["X-Shopify-Topic: orders/create", "X-Shopify-Shop-Domain: bench-shop.myshopify.com"], what: "one new order per request",
            target: "≥ 2,000 orders/s", bodiesPerSecond: 25_000,
            body: { run, n, _ in
                ##"{"id":\##(n + 1),"admin_graphql_api_id":"gid://shopify/Order/\##(n + 1)","name":"#\##(n + 1000)","email":"customer\##(n % 5000)@example.jp","created_at":"2026-11-20T10:00:00+09:00","updated_at":"2026-11-20T10:00:00+09:00","financial_status":"paid","fulfillment_status":null,"currency":"JPY","total_price":"12800","customer":{"id":\##(n % 5000 + 1),"email":"customer\##(n % 5000)@example.jp","first_name":"花子","last_name":"山田"},"line_items":[{"id":\##(n + 1),"title":"リネンシャツ","quantity":1,"price":"9800","sku":"LS-NV-M"}],"shipping_address":{"name":"山田 花子","phone":"090-1234-5678","city":"渋谷区"},"note":"bench \##(run)"}"##
            },
            values: { run, n, data in
                [WebhookSignature.hmac(secret: "bench-client-secret", body: data).base64EncodedString(), "wh-\(run)-\(n)", "ev-\(run)-\(n)"]
            }),
    ]

    func run(_ p: Platform, duration: Double, connections: Int, report: inout BenchReport) async throws {
        let label = "signed \(p.name) webhook ingest, \(p.what)"
        guard let wrk = WrkIngest.executable else {
            report.add(label, "not measured: install wrk (Debian package wrk)", p.target)
            return
        }
        let inbox = try await createInbox(p)
        let count = Int(duration) * p.bodiesPerSecond
        let runId = UUID().uuidString.prefix(8)
        var lines = ""
        lines.reserveCapacity(count * 480)
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        for n in 0..<count {
            let body = p.body(runId, n, start + Int64(n))
            lines += p.values(runId, n, Data(body.utf8)).joined(separator: "\t") + "\t" + body + "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kotae-\(p.path)-bodies-\(runId).txt")
        try lines.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            local names = { \(p.headers.map { "\"\($0)\"" }.joined(separator: ", ")) }
            local heads, bodies, n = {}, {}, 0
            for line in io.lines("\(file.path)") do
              local h, from = {}, 1
              for i = 1, #names do
                local tab = line:find("\\t", from, true)
                h[names[i]] = line:sub(from, tab - 1)
                from = tab + 1
              end
              heads[#heads + 1] = h
              bodies[#bodies + 1] = line:sub(from)
            end
            request = function()
              n = n + 1
              if n > #bodies then io.write("kotae-wrapped\\n"); n = 1 end
              return wrk.format("POST", nil, heads[n], bodies[n])
            end
            done = function(summary, latency, requests)
              io.write(string.format("kotae-p50 %.3f\\nkotae-p99 %.3f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
            end
            """
        let r = try WrkIngest.run(
            executable: wrk, url: "\(base)/webhooks/\(p.path)/\(inbox)", script: script,
            headers: ["Content-Type: application/json"] + p.fixedHeaders, duration: duration, connections: connections)
        report.add(
            "\(label) (wrk, \(connections) connections, \(Int(duration)) s, SQLite)",
            String(format: "%.0f events/s (p50 %.1f ms, p99 %.1f ms)", r.rate, r.p50, r.p99), p.target)
    }

    private func createInbox(_ p: Platform) async throws -> Int64 {
        var req = HTTPClientRequest(url: base + p.creates)
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
