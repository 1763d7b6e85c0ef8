import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeStore
import NIOCore
import NIOFoundationCompat

/// A file a platform sent as a link, to be fetched and attached to its message.
struct FetchFile: JobPayload {
    static let kind = "file.fetch"
    @StoredNumber var messageId: Int64
    var url: String
}

/// Fetches a file a platform sent as a link (a Messenger or Instagram image on Meta's CDN)
/// and attaches it to its message, after the webhook was answered.
struct FileFetchJob: Sendable {
    let store: KotaeStore
    let http: HTTPClient
    let attachments: AttachmentStore
    let hub: EventHub
    static let maxBytes = 25 * 1024 * 1024

    func run(_ p: FetchFile) async throws -> JobRunner.JobResult {
        let id = p.messageId, url = p.url
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "") else {
            return .fail("not an http(s) link: \(url)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            guard (200..<300).contains(response.status.code) else {
                let code = Int(response.status.code)
                return code >= 500 || code == 429 ? .retry("file host answered \(code)", after: nil) : .fail("file host answered \(code)")
            }
            let data = Data(buffer: try await response.body.collect(upTo: Self.maxBytes))
            let type = response.headers.first(name: "Content-Type") ?? "application/octet-stream"
            let name = parsed.lastPathComponent.isEmpty ? "file" : parsed.lastPathComponent
            try await store.conversations.addAttachments(messageId: id, [try attachments.save(data, filename: name, contentType: type)])
            if let m = try await store.conversations.message(id: id) {
                hub.publish(.messageUpdated(m.conversationId, message: id, inbox: m.inboxId))
            }
            return .done
        } catch let error as NIOTooManyBytesError {
            return .fail("the file is larger than \(Self.maxBytes / 1024 / 1024) MB: \(error)")
        } catch {
            return .retry("file host unreachable: \(error)", after: nil)
        }
    }
}
