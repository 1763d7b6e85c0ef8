import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeStore
import NIOCore
import NIOFoundationCompat

/// Copies a customer's profile picture from the platform into the attachment store: the
/// platforms' picture links expire, and the agent's page loads nothing from elsewhere.
struct ContactPicture: Sendable {
    let store: KotaeStore
    let http: HTTPClient
    let attachments: AttachmentStore
    static let maxBytes = 2 * 1024 * 1024

    /// Best effort: the name already arrived; a picture that cannot be fetched is left out.
    func keep(_ url: String, contactId: Int64) async {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "") else { return }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        guard let response = try? await http.execute(request, timeout: .seconds(15)),
            (200..<300).contains(response.status.code),
            let type = response.headers.first(name: "Content-Type"), type.hasPrefix("image/"),
            let body = try? await response.body.collect(upTo: Self.maxBytes),
            let file = try? attachments.save(Data(buffer: body), filename: "profile", contentType: type)
        else { return }
        try? await store.contacts.setAvatar(contactId: contactId, sha256: file.sha256)
    }
}
