import Foundation
import Hummingbird
import KotaeCore

/// The page behind the one-time set-up link printed on first start: a plain HTML form
/// (no script) that creates the first admin. Everything else lives in the API until the
/// agent UI arrives.
struct SetupPage {
    let auth: AuthController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("setup", use: show)
        router.post("setup", use: submit)
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        .init("Referrer-Policy")!: "no-referrer",
    ]

    func page(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Kotae set-up</title><style>body{font:16px system-ui;max-width:28rem;margin:3rem auto;padding:0 1rem}
            label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}</style>
            </head><body><h1>Kotae</h1>\(body)</body></html>
            """
        return Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = HTMLSanitizer.escapeText((try request.formQuery())["token"].map(String.init) ?? "")
        return page(
            """
            <p>最初の管理者を作成します / Create the first admin.</p>
            <form method="post" action="/setup"><input type="hidden" name="token" value="\(token)">
            <label for="name">名前 / Name</label><input id="name" name="name" required>
            <label for="email">メール / Email</label><input id="email" name="email" type="email" required>
            <label for="password">パスワード / Password (8+)</label><input id="password" name="password" type="password" minlength="8" required>
            <button type="submit">作成 / Create</button></form>
            """)
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.formBody()
        do {
            let user = try await auth.createFirstAdmin(
                .init(
                    token: fields["token"] ?? "", email: fields["email"] ?? "",
                    name: fields["name"] ?? "", password: fields["password"] ?? ""))
            var response = try await auth.startSession(for: user, request, context: context)
            let cookie = response.headers[.setCookie]
            response = page("<p>\(HTMLSanitizer.escapeText(user.email)) を管理者として作成しました。/ The admin is ready.</p>")
            if let cookie { response.headers[.setCookie] = cookie }
            return response
        } catch let e as APIError {
            return page(
                "<p role=\"alert\">\(HTMLSanitizer.escapeText(e.detail))</p><p><a href=\"/setup?token=\((fields["token"] ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")\">戻る / Back</a></p>",
                status: e.status)
        }
    }
}
