import Foundation
import Hummingbird
import NIOCore

/// `GET /files/{sha256}?exp&type&name&sig`: a file a platform fetches from a signed link
/// (a picture an agent sent on LINE). No session: the signature is the permission.
struct PublicFileController {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("files/:sha256", use: file)
    }

    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let sha = try context.parameters.require("sha256")
        let q = try request.formQuery()
        let exp = q["exp"].map(String.init) ?? "", type = q["type"].map(String.init) ?? "",
            name = q["name"].map(String.init) ?? "", sig = q["sig"].map(String.init) ?? ""
        guard app.fileLinks.verify(sha256: sha, exp: exp, type: type, name: name, sig: sig) else {
            throw APIError.forbidden("this file link is not valid or has expired")
        }
        guard let data = app.attachments.load(sha) else { throw APIError.notFound("file") }
        // Only plain media is shown inline; anything that could run script on Kotae's origin
        // (HTML, SVG) is a download, and the sandbox forbids script either way.
        let media = ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "audio/mpeg", "audio/mp4", "audio/x-m4a", "application/pdf"]
        let inline = media.contains(type.lowercased())
        return Response(
            status: .ok,
            headers: [
                .contentType: inline ? type : "application/octet-stream",
                .contentDisposition: (inline ? "inline" : "attachment") + "; filename=\"\(FileLinks.escape(name))\"",
                .cacheControl: "private, max-age=86400", .contentSecurityPolicy: "sandbox; default-src 'none'",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
