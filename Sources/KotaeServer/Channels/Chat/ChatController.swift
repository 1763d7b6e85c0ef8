import Foundation
import HTTPTypes
import Hummingbird
import KotaeCore
import KotaeStore

/// The widget's HTTP routes, called from the shop's pages (so answered with CORS for the
/// inbox's sites): a picture upload, and the help center's search.
struct ChatController {
    let app: AppServices

    static let pictureTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]
    static let maxPicture = 10 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.on("/chat/files", method: .options, use: preflight)
        router.post("/chat/files", use: upload)
        router.get("/chat/help", use: search)
    }

    /// The inbox a request names (`?inbox=`), and the `Access-Control-Allow-Origin` its sites get.
    func inbox(_ request: Request) async throws -> (Inbox, HTTPFields) {
        guard let id = request.uri.queryParameters.get("inbox", as: Int64.self), let inbox = try await app.store.inboxes.find(id: id),
            inbox.channel == .chat
        else { throw APIError.notFound("chat inbox") }
        let origin = request.headers[.origin]
        guard try ChatSettings(stored: inbox.settings).allows(origin: origin) else {
            throw APIError(.forbidden, code: "origin_refused", detail: "this site may not run this inbox's chat widget")
        }
        var headers: HTTPFields = [.vary: "Origin"]
        if let origin { headers[.accessControlAllowOrigin] = origin }
        return (inbox, headers)
    }

    func preflight(_ request: Request, context: AppRequestContext) async throws -> Response {
        var (_, headers) = try await inbox(request)
        headers[.accessControlAllowMethods] = "POST"
        headers[.accessControlAllowHeaders] = "Content-Type, X-Kotae-Upload, X-Kotae-Filename"
        headers[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: headers)
    }

    struct Uploaded: Encodable {
        /// What the widget sends with its message (only this visitor can).
        let file: String
        let name: String
        let type: String
    }

    /// `POST /chat/files?inbox=`: one picture, its bytes as the body, `X-Kotae-Upload` the
    /// welcome's upload token.
    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, headers) = try await inbox(request)
        let now = app.clock.now
        guard let token = request.headers[HTTPField.Name("X-Kotae-Upload")!],
            let visitor = app.chat.identity.uploader(token: token, inbox: inbox.id, now: now)
        else { throw APIError.unauthorized("an upload needs the widget's upload token") }
        let type =
            (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.pictureTypes.contains(type) else { throw APIError.invalid("Content-Type", "a picture must be PNG, JPEG, GIF or WebP") }
        if let wait = await app.chat.uploads.blockedFor("\(inbox.id):\(visitor)", now: now) {
            throw APIError(.tooManyRequests, code: "rate_limited", detail: "too many pictures; wait \(Int(wait.rounded(.up))) s")
        }
        let body = try await request.body.collect(upTo: Self.maxPicture + 1)
        guard body.readableBytes <= Self.maxPicture else {
            throw APIError(.contentTooLarge, code: "too_large", detail: "a picture may be 10 MB at most")
        }
        guard body.readableBytes > 0 else { throw APIError.invalid("body", "the picture is empty") }
        let name =
            request.headers[HTTPField.Name("X-Kotae-Filename")!].flatMap { $0.removingPercentEncoding }.map { String($0.prefix(200)) } ?? "picture"
        let file = try app.attachments.save(Data(buffer: body), filename: name, contentType: type)
        await app.chat.uploads.record("\(inbox.id):\(visitor)", now: now)
        let out = Uploaded(file: app.chat.identity.fileToken(file, visitor: visitor), name: file.filename, type: type)
        var response = try context.json(out, request)
        response.headers.append(contentsOf: headers)
        return response
    }

    struct Found: Encodable {
        let title: String
        let url: String
        let snippet: String
    }

    /// `GET /chat/help?inbox=&q=&locale=`: the help center's articles for the widget's search box.
    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, headers) = try await inbox(request)
        let q = String((request.uri.queryParameters.get("q") ?? "").prefix(200))
        let locale = HelpLocale(rawValue: request.uri.queryParameters.get("locale") ?? "ja") ?? .ja
        let found = q.trimmingCharacters(in: .whitespaces).isEmpty ? [] : try await app.help.search(q, locale: locale, limit: 5)
        let out = found.map { a in
            Found(title: a.title, url: "/help/\(a.locale.rawValue)/articles/\(a.id)", snippet: String(app.help.render(a).text.prefix(140)))
        }
        var response = try context.json(out, request)
        response.headers.append(contentsOf: headers)
        return response
    }
}
