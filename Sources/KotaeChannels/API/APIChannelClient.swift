import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends the API channel's outbound messages to the shop's webhook URL.
/// Each POST is signed (`X-Kotae-Signature: sha256=<HMAC of the body>`) and carries
/// `X-Kotae-Delivery`, the same on every retry, so the receiver can drop repeats.
public struct APIChannelClient: Sendable {
    let http: HTTPClient
    let timeout: TimeAmount

    public init(http: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.timeout = timeout
    }

    public func deliver(url: String, secret: String?, deliveryId: String, body: Data) async -> DeliveryOutcome {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme) else {
            return .permanent(reason: "the inbox's webhook URL is not an http(s) URL")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kotae")
        request.headers.add(name: "X-Kotae-Delivery", value: deliveryId)
        if let secret {
            request.headers.add(name: "X-Kotae-Signature", value: "sha256=" + WebhookSignature.hmacSHA256Hex(secret: secret, body: body))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let text = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            switch response.status.code {
            case 200..<300:
                let id = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["id"].map { "\($0)" }
                return .delivered(externalId: id)
            case 408, 429, 500...599:
                let after = response.headers.first(name: "Retry-After").flatMap(TimeInterval.init)
                return .retry(reason: "webhook answered \(response.status.code)", after: after)
            default:
                return .permanent(reason: "webhook answered \(response.status.code): \(text.prefix(200))")
            }
        } catch {
            return .retry(reason: "webhook unreachable: \(error)", after: nil)
        }
    }
}
