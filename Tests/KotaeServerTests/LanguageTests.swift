import Foundation
import HTTPTypes
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing
@testable import KotaeServer

/// Issue 11, parts 2 and 12: what an agent reads comes in their language, and a
/// conversation that cannot be answered says so before anyone writes.
@Suite struct LanguageTests {
    private func problem(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, json: String? = nil,
        language: String?
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [:]
        if let language { headers[.acceptLanguage] = language }
        let r = try await app.request(method, path, token: app.adminToken, json: json, headers: headers)
        return (r.status, TestApp.object(r))
    }

    @Test func problemsComeInTheLanguageAsked() async throws {
        try await withTestApp { app in
            let inbox = try await app.makeInbox()
            let (_, r) = try await app.ingest(inbox: inbox, externalId: "1")
            let id = r["conversationId"] as! Int
            let japanese: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String, String)] = [
                (.get, "/api/v1/conversations/999999", nil, .notFound, "not_found", "会話が見つかりません。"),
                (
                    .post, "/api/v1/conversations/\(id)/status", #"{"status":"resolved"}"#, .unprocessableContent, "reason_required",
                    "お客様はまだ返信を待っています。先に返信するか、返信せずに閉じる理由を選んでください。"
                ),
                (.get, "/api/v1/conversations?limit=0", nil, .unprocessableContent, "validation_failed", "「limit」の値が正しくありません。"),
                (
                    .post, "/api/v1/conversations/\(id)/snooze", #"{"until":"2001-01-01T00:00:00Z"}"#, .unprocessableContent, "validation_failed",
                    "スヌーズは未来の時刻を指定してください。"
                ),
                (.delete, "/api/v1/conversations/\(id)", nil, .methodNotAllowed, "method_not_allowed", "この URL ではこのメソッドは使えません。"),
            ]
            for (method, path, json, status, code, detail) in japanese {
                let (s, p) = try await problem(app, method, path, json: json, language: "ja,en;q=0.8")
                #expect(s == status && p["code"] as? String == code, "\(path): \(p)")
                #expect(p["detail"] as? String == detail, "\(path)")
                let (_, en) = try await problem(app, method, path, json: json, language: "en-US")
                #expect(en["code"] as? String == code && !ProblemText.isJapanese(en["detail"] as? String ?? "ja"), "\(path): \(en)")
            }
            // Without the header the API speaks English, as it always has.
            let (_, plain) = try await problem(app, .get, "/api/v1/conversations/999999", language: nil)
            #expect(plain["detail"] as? String == "conversation not found")
        }
    }

    @Test func theComposerSaysWhyBeforeTheAgentWritesAndFailuresReadInJapanese() async throws {
        try await withTestApp { app in
            let api = try await app.makeInbox()  // no webhook URL
            let (_, r) = try await app.ingest(inbox: api, externalId: "1")
            let id = r["conversationId"] as! Int
            var page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            #expect(page.contains(#"id="cannot-reply""#) && page.contains("Webhook URL がないため、返信を送れません"))
            #expect(page.contains(#"data-cannot-reply="true""#))
            // The reply fails; the timeline says why in Japanese, the platform's words folded beneath.
            let (_, out) = try await app.admin(.post, "/api/v1/conversations/\(id)/reply", #"{"text":"確認します"}"#)
            let mid = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(try await eventually { try await app.store.conversations.message(id: mid)?.deliveryState == .failed })
            page = String(buffer: try await app.request(.get, "/conversations/\(id)", token: app.adminToken).body)
            #expect(page.contains(#"<span class="error">この API 受信箱には Webhook URL がありません。"#))
            #expect(page.contains(#"<details class="error-detail">"#))
            // A LINE inbox without credentials, and an e-mail inbox (sending comes later), say so too.
            let line = try await app.makeInbox(channel: "line", settings: ["channelId": "1"])
            let (_, l) = try await app.ingest(inbox: line, externalId: "line:1", contact: "U1")
            page = String(buffer: try await app.request(.get, "/conversations/\(l["conversationId"] as! Int)", token: app.adminToken).body)
            #expect(page.contains("認証情報が設定されていないため、返信を送れません"))
            let mail = try await app.makeInbox(channel: "email")
            let (_, m) = try await app.ingest(inbox: mail, externalId: "mail:1", contact: "a@example.jp")
            page = String(buffer: try await app.request(.get, "/conversations/\(m["conversationId"] as! Int)", token: app.adminToken).body)
            #expect(page.contains("このチャネルからの返信にはまだ対応していません"))
            // An inbox that can send says nothing.
            let ok = try await app.makeInbox(settings: ["webhookUrl": "http://127.0.0.1:9/hook"])
            let (_, o) = try await app.ingest(inbox: ok, externalId: "2")
            page = String(buffer: try await app.request(.get, "/conversations/\(o["conversationId"] as! Int)", token: app.adminToken).body)
            #expect(!page.contains(#"id="cannot-reply""#))
        }
    }
}

/// Issue 11, parts 16 and 18: pages fail as pages, in the agent's language.
@Suite struct ErrorPageTests {
    @Test func aMissingPageIsAnHTMLPageInTheFrameWithAWayBackAndTheAPIKeepsProblems() async throws {
        try await withTestApp { app in
            let html: HTTPFields = [.accept: "text/html,application/xhtml+xml", .acceptLanguage: "en-US"]
            // The agent's own language (Japanese) wins over the browser's.
            let missing = try await app.request(.get, "/conversations/999999", token: app.agentToken, headers: html)
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
            let page = String(buffer: missing.body)
            #expect(page.contains("ページが見つかりません") && page.contains("会話が見つかりません。"))
            #expect(page.contains(#"id="error-back""#) && page.contains("受信箱に戻る") && page.contains(#"class="top""#), "in the app frame")
            #expect(!page.contains(#""code""#), "no JSON")
            let stranger = try await app.request(.get, "/no-such-page", headers: html)
            #expect(stranger.status == .notFound && String(buffer: stranger.body).contains("Page not found"))
            #expect(String(buffer: stranger.body).contains(#"href="/login""#))
            // The API answers problems, whatever the Accept header.
            let api = try await app.request(.get, "/api/v1/conversations/999999", token: app.agentToken, headers: html)
            #expect(api.headers[.contentType] == "application/problem+json")
            // The icon browsers ask for.
            let icon = try await app.request(.get, "/favicon.ico")
            #expect(icon.status == .ok && icon.headers[.contentType] == "image/svg+xml")
        }
    }

    /// One table of words, both languages complete: a key in one is a key in the other.
    @Test func japaneseAndEnglishHaveTheSameWords() {
        let ja = Set(WebStrings.table("ja").keys), en = Set(WebStrings.table("en").keys)
        #expect(ja.subtracting(en).sorted() == [], "only in Japanese")
        #expect(en.subtracting(ja).sorted() == [], "only in English")
        // The pages' words, the channels' and the problems' are all in it.
        #expect(ja.isSuperset(of: ["save", "field_channelSecret", "refuse_onePicture", "problem_internal", "thing_inbox", "apifield_email"]))
    }

    /// Sentences built from a field name, and problems of codes that share a sentence.
    @Test func builtProblemsReadInJapanese() {
        let short = ProblemText.localized(APIError.invalid("password", "password must be at least 10 characters"), language: "ja")
        #expect(short.detail == "パスワードは10文字以上にしてください。")
        let unknownField = ProblemText.localized(APIError.invalid("nickname", "nickname is empty"), language: "ja")
        #expect(unknownField.detail == "「nickname」を入力してください。")
        #expect(ProblemText.localized(APIError.badRequest("invalid_utf8", "x"), language: "ja").detail == "送られた内容を JSON として読めませんでした。")
        #expect(ProblemText.localized(APIError.badRequest("odd_thing", "x"), language: "ja").detail == "リクエストを処理できませんでした（odd_thing）。")
    }
}
