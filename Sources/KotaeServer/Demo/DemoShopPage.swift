import Foundation
import Hummingbird
import KotaeCore

/// `/demo/shop` (with `--demo` only): a plain page of the demo shop with the chat widget on
/// it, installed exactly as a shop installs it, so a newcomer can chat with the desk.
struct DemoShopPage {
    let app: AppServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/demo/shop", use: page)
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let inbox = try await app.store.inboxes.all().first(where: { $0.channel == .chat }) else { throw APIError.notFound("chat inbox") }
        let html = """
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>みどりサイクル オンラインストア</title>
            <style>body{font-family:system-ui,sans-serif;max-width:760px;margin:0 auto;padding:24px;color:#222}
            header{border-bottom:3px solid #1f6f5c;margin-bottom:16px}.item{border:1px solid #ddd;border-radius:10px;padding:14px;margin:10px 0}</style>
            <script>window.Kotae=window.Kotae||function(){(Kotae.q=Kotae.q||[]).push(arguments)}</script>
            <script async src="/assets/widget.js" data-inbox="\(inbox.id)"></script>
            </head><body>
            <header><h1>みどりサイクル</h1><p>街乗り自転車とパーツのお店（Kotae のデモ用ページ）</p></header>
            <div class="item"><h2>シティサイクル ミドリ 27インチ</h2><p>¥39,800（税込）・送料は <a href="/help/ja">ヘルプセンター</a> をご覧ください</p></div>
            <div class="item"><h2>LEDライト NV-M</h2><p>¥2,980（税込）</p></div>
            <p>右下のボタンからチャットで質問できます。「送料はいくらですか？」と聞くと FAQ ボットが答え、注文についての質問は担当者に引き継ぎます。</p>
            </body></html>
            """
        var response = Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
