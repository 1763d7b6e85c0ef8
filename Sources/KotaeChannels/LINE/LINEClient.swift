import AsyncHTTPClient
import Foundation
import KotaeCore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The LINE Messaging API calls Kotae makes: profiles, message content, reply and push.
/// Authorization is the inbox's channel access token.
public struct LINEClient: Sendable {
    let http: HTTPClient
    let apiBase: String
    let dataBase: String
    let timeout: TimeAmount

    public init(http: HTTPClient, apiBase: String, dataBase: String, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.apiBase = apiBase
        self.dataBase = dataBase
        self.timeout = timeout
    }

    /// A failed call: whether trying later may help, and what LINE said.
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int
        public let message: String
        public let retryAfter: TimeInterval?
        public var transient: Bool { status == 0 || status == 429 || status >= 500 }
        public var description: String { status == 0 ? "LINE unreachable: \(message)" : "LINE answered \(status): \(message)" }
    }

    public struct Profile: Decodable, Sendable {
        public let displayName: String
        public let pictureUrl: String?
    }

    public func profile(userId: String, token: String) async throws -> Profile {
        let (_, body) = try await call(.GET, apiBase + "/v2/bot/profile/" + userId, token: token)
        return try JSONDecoder().decode(Profile.self, from: body)
    }

    /// The bytes of an image, video, audio or file message, with their content type.
    public func content(messageId: String, token: String) async throws -> (Data, String) {
        let (headers, body) = try await call(.GET, dataBase + "/v2/bot/message/\(messageId)/content", token: token, limit: 50 * 1024 * 1024)
        return (body, headers.first(name: "Content-Type") ?? "application/octet-stream")
    }

    /// This month's pushes: the plan's limit (`nil` when unlimited) and how many were sent.
    public struct PushQuota: Sendable, Equatable {
        public let limit: Int?
        public let used: Int
    }

    /// `GET /v2/bot/message/quota` and `…/quota/consumption`: what a push would draw on.
    public func pushQuota(token: String) async throws -> PushQuota {
        struct Quota: Decodable {
            let type: String
            let value: Int?
        }
        struct Consumption: Decodable { let totalUsage: Int }
        let quota = try JSONDecoder().decode(Quota.self, from: try await call(.GET, apiBase + "/v2/bot/message/quota", token: token).1)
        let used = try JSONDecoder().decode(
            Consumption.self, from: try await call(.GET, apiBase + "/v2/bot/message/quota/consumption", token: token).1)
        return PushQuota(limit: quota.type == "limited" ? quota.value : nil, used: used.totalUsage)
    }

    /// Answers with a reply token. `nil` when LINE refused the token (used or expired): push instead.
    public func reply(replyToken: String, text: String, imageURLs: [String] = [], token: String) async -> DeliveryOutcome? {
        let body = try! JSONSerialization.data(withJSONObject: ["replyToken": replyToken, "messages": Self.messages(text, imageURLs)])
        do {
            let (_, answer) = try await call(.POST, apiBase + "/v2/bot/message/reply", token: token, body: body)
            return .delivered(externalId: Self.sentId(answer))
        } catch let f as Failure where f.status == 400 && f.message.localizedCaseInsensitiveContains("reply token") {
            return nil
        } catch {
            return Self.outcome(error)
        }
    }

    /// Pushes to a user, group or room. The retry key makes a repeated push after a lost
    /// answer harmless: LINE says 409 with the id it accepted, which counts as sent.
    public func push(to: String, text: String, imageURLs: [String] = [], token: String, retryKey: UUID) async -> DeliveryOutcome {
        let body = try! JSONSerialization.data(withJSONObject: ["to": to, "messages": Self.messages(text, imageURLs)])
        do {
            let (_, answer) = try await call(
                .POST, apiBase + "/v2/bot/message/push", token: token, body: body,
                extra: ["X-Line-Retry-Key": retryKey.uuidString.lowercased()])
            return .delivered(externalId: Self.sentId(answer))
        } catch let f as Failure where f.status == 409 {
            return .delivered(externalId: nil)
        } catch {
            return Self.outcome(error)
        }
    }

    /// The text, then each picture (LINE fetches it from the https link; the same link
    /// serves as the preview). At most five, which callers check beforehand.
    static func messages(_ text: String, _ imageURLs: [String]) -> [[String: String]] {
        (text.isEmpty ? [] : [["type": "text", "text": text]])
            + imageURLs.map { ["type": "image", "originalContentUrl": $0, "previewImageUrl": $0] }
    }

    static func sentId(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["sentMessages"] as? [[String: Any]])?.first?["id"] as? String
    }

    static func outcome(_ error: any Error) -> DeliveryOutcome {
        guard let f = error as? Failure else { return .retry(reason: "\(error)", after: nil) }
        // A used-up monthly quota is a 429 too, but waiting minutes does not heal it.
        if f.status == 429 && f.message.localizedCaseInsensitiveContains("monthly limit") {
            return .channelProblem(
                reason:
                    "LINE's monthly message limit is reached: pushes fail until next month or a larger plan; answers to a customer's fresh message (reply token) still go"
            )
        }
        if f.transient { return .retry(reason: f.description, after: f.retryAfter) }
        if f.status == 401 {
            return .channelProblem(reason: "LINE rejected the channel access token (expired or revoked): set a new one in the inbox settings")
        }
        return .permanent(reason: f.description)
    }

    func call(
        _ method: HTTPMethod, _ url: String, token: String, body: Data? = nil, extra: [String: String] = [:],
        limit: Int = 1024 * 1024
    ) async throws -> (HTTPHeaders, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        for (k, v) in extra { request.headers.add(name: k, value: v) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: timeout) } catch {
            throw Failure(status: 0, message: "\(error)", retryAfter: nil)
        }
        let data = Data(buffer: try await response.body.collect(upTo: limit))
        guard (200..<300).contains(response.status.code) else {
            let message =
                (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["message"] as? String
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw Failure(
                status: Int(response.status.code), message: message,
                retryAfter: response.headers.first(name: "Retry-After").flatMap(TimeInterval.init))
        }
        return (response.headers, data)
    }
}
