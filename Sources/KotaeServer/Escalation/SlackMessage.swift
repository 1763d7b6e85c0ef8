import AsyncHTTPClient
import Foundation
import KotaeCore
import NIOCore
import NIOHTTP1

/// A message to a Slack-compatible incoming webhook: `text` (what notifications and older
/// receivers show) and `blocks`, and `thread_ts` to answer in a conversation's thread where the
/// receiver gave one. What a customer wrote is escaped: Slack reads `<…>` as links and mentions.
struct SlackMessage: Encodable {
    struct Block: Encodable {
        struct Text: Encodable {
            var type = "mrkdwn"
            var text: String
        }
        var type: String
        var text: Text?
        var elements: [Text]?
    }

    var text: String
    var blocks: [Block]
    var threadTs: String?

    enum CodingKeys: String, CodingKey {
        case text, blocks
        case threadTs = "thread_ts"
    }

    /// About one conversation: `headline` in bold over the customer's latest words (escaped,
    /// quoted), a context line, and the link to it in Kotae in the plain text.
    static func about(_ c: Conversation, headline: String, context: [String], link: String, thread: String? = nil) -> SlackMessage {
        let words = c.snippet.isEmpty ? "" : "\n>" + escape(String(c.snippet.prefix(200))).replacingOccurrences(of: "\n", with: " ")
        return SlackMessage(
            text: "\(headline) \(link)",
            blocks: [
                .init(type: "section", text: .init(text: "*\(headline)*\(words)")),
                .init(type: "context", elements: [.init(text: context.joined(separator: " · "))]),
            ],
            threadTs: thread)
    }

    /// Slack's three control characters, as its formatting guide says to escape them.
    static func escape(_ s: String) -> String { slackEscape(s) }
    private static let slackEscape = ASCIIEscape(["&": "&amp;", "<": "&lt;", ">": "&gt;"])

    /// What became of a post.
    enum Outcome: Equatable {
        /// Posted; `thread` is the message's `ts` when the receiver answered with one.
        case posted(thread: String?)
        case retry(String, after: TimeInterval?)
        case refused(String)
    }

    func post(to url: String, http: HTTPClient) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "Kotae")
        do {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(self)))
            let response = try await http.execute(request, timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 64 << 10))
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                // Slack answers "ok"; a receiver that answers with the message's JSON gives its thread.
                let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
                return .posted(thread: json?["ts"] as? String)
            case 429:
                return .retry("the webhook is rate-limited", after: response.headers.first(name: "Retry-After").flatMap(TimeInterval.init))
            case 500...:
                return .retry("the webhook answered \(code)", after: nil)
            default:
                // 400 invalid_payload, 403 action_prohibited, 404 no_service, 410 channel_is_archived: no retry helps.
                return .refused("the webhook answered \(code): \(body.prefix(200))")
            }
        } catch {
            return .retry("the webhook could not be reached: \(error)", after: nil)
        }
    }
}
