import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// X API v2 with a user-context access token: a public reply as a reply post, a private one as a DM.
public struct XClient: Sendable {
    let http: HTTPClient
    let base: String
    let timeout: TimeAmount

    public init(http: HTTPClient, base: String, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.base = base
        self.timeout = timeout
    }

    public func reply(to tweetId: String, text: String, token: String) async -> DeliveryOutcome {
        await post("/2/tweets", ["text": text, "reply": ["in_reply_to_tweet_id": tweetId]], token: token) { data in
            (data["data"] as? [String: Any])?["id"] as? String
        }
    }

    public func directMessage(to userId: String, text: String, token: String) async -> DeliveryOutcome {
        await post("/2/dm_conversations/with/\(userId)/messages", ["text": text], token: token) { data in
            (data["data"] as? [String: Any])?["dm_event_id"] as? String
        }
    }

    func post(_ path: String, _ object: [String: Any], token: String, id: ([String: Any]) -> String?) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object)))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            switch response.status.code {
            case 200..<300:
                return .delivered(externalId: id(json))
            case 429:
                // Wait until the window resets, as x-rate-limit-reset (epoch seconds) says.
                let reset = response.headers.first(name: "x-rate-limit-reset").flatMap(Double.init)
                return .throttled(reason: "X rate limit", after: reset.map { max(1, $0 - Date().timeIntervalSince1970) })
            case 500...599:
                return .retry(reason: "X answered \(response.status.code)", after: nil)
            case 401:
                return .channelProblem(reason: "X rejected the access token (expired or revoked): set a new one in the inbox settings")
            default:
                let detail =
                    json["detail"] as? String ?? ((json["errors"] as? [[String: Any]])?.first?["message"] as? String)
                    ?? "HTTP \(response.status.code)"
                return .permanent(reason: "X answered \(response.status.code): \(detail)")
            }
        } catch {
            return .retry(reason: "X unreachable: \(error)", after: nil)
        }
    }
}
