import Foundation
import KotaeCore
import KotaeStore
import KotaeTesting
import Testing

@testable import KotaeServer

/// The reply checker as the composer asks it: with what the conversation knows (the customer's
/// complaint, their name, the channel, the days their order gives, the shop's forbidden words).
/// A forbidden word refuses the reply and stores nothing; any other warning can be sent over,
/// and the reply keeps what it was sent over.
@Suite struct ReplyCheckTests {
    /// 2 November 2026, noon in Tokyo: the corpus's order #1042 was placed on 28 October.
    static let clock = AppClock(sleeper: ContinuousClock(), now: { Date(timeIntervalSince1970: 1_793_588_400) })

    static func check(_ app: TestApp, _ conversation: Int64, _ text: String, attachments: Int = 0) async throws -> [[String: Any]] {
        let (status, out) = try await app.admin(
            .post, "/api/v1/conversations/\(conversation)/reply-check", jsonString(["text": text, "attachments": attachments]))
        try #require(status == .ok, "\(out)")
        return try #require(out["issues"] as? [[String: Any]])
    }

    static func kinds(_ issues: [[String: Any]]) -> [String] { issues.compactMap { $0["kind"] as? String } }

    @Test func theDraftIsHeldAgainstTheComplaintTheNameAndTheOrdersDays() async throws {
        let fake = try await FakeShopify()
        defer { fake.stop() }
        try await withTestApp(clock: Self.clock, configure: { $0.role = .web }) { app in
            _ = try await ShopifyWebhookRouteTests.connect(app, shop: fake.base)
            let conversation = try await OrdersPanelTests.mail(app, "#1042 で届いたマグカップが割れていました。どうなっていますか。")
            // The panel caches the orders the composer's check reads.
            #expect(try await OrdersPanelTests.panel(app, conversation).orders.map(\.order.number).contains("#1042"))

            let careless = try await Self.check(app, conversation, "ご連絡ありがとうございます。代わりの品を11月20日にお届けします。")
            #expect(Self.kinds(careless) == ["no_apology", "no_named_greeting", "unsourced_date"])
            #expect(careless.allSatisfy { $0["blocks"] as? Bool == false })
            #expect((careless[2]["message"] as? String)?.contains("「11月20日」という日付は注文データにありません") == true)
            #expect((careless[1]["message"] as? String)?.contains("山田 花子様") == true)

            let careful = "山田様\n大変申し訳ございません。10月28日にご注文いただいた品を、本日あらためて発送いたしました。"
            #expect(Self.kinds(try await Self.check(app, conversation, careful)).isEmpty)
            #expect(Self.kinds(try await Self.check(app, conversation, "佐藤様\n大変申し訳ございません。")) == ["wrong_name"])
            #expect(Self.kinds(try await Self.check(app, conversation, "山田様\n申し訳ございません。写真を添付します。")) == ["missing_attachment"])
            #expect(Self.kinds(try await Self.check(app, conversation, "山田様\n申し訳ございません。写真を添付します。", attachments: 1)).isEmpty)
        }
    }

    @Test func aForbiddenWordRefusesTheReplyAndAWarningIsSentOverAndKept() async throws {
        try await withTestApp(clock: Self.clock, configure: { $0.role = .web }) { app in
            let (saved, settings) = try await app.admin(
                .patch, "/api/v1/settings/workspace", jsonString(["forbiddenWords": [" 絶対 ", "", "絶対", "100%保証"]]))
            #expect(saved == .ok && settings["forbiddenWords"] as? [String] == ["絶対", "100%保証"])
            let conversation = try await OrdersPanelTests.mail(app, "注文した本はいつ届きますか。")

            let blocked = try await Self.check(app, conversation, "山田様\nお問い合わせありがとうございます。絶対に明日届きます。")
            #expect(Self.kinds(blocked) == ["forbidden_word"] && blocked[0]["blocks"] as? Bool == true)
            let before = try await app.store.conversations.messages(conversationId: conversation).count
            let (refused, problem) = try await app.admin(
                .post, "/api/v1/conversations/\(conversation)/reply",
                jsonString([
                    "text": "山田様\n絶対に明日届きます。",
                    "attachments": [
                        ["filename": "receipt.pdf", "contentType": "application/pdf", "dataBase64": Data("%PDF-1.4".utf8).base64EncodedString()]
                    ],
                ]))
            #expect(refused == .unprocessableContent && problem["field"] as? String == "text")
            #expect((problem["detail"] as? String ?? "\(problem)").contains("絶対"), "\(problem)")
            #expect(try await app.store.conversations.messages(conversationId: conversation).count == before, "nothing is stored")

            // A vague promise warns but can be sent; the reply says what it was sent over.
            let vague = "山田様\nお問い合わせありがとうございます。たぶん来週にはお届けできると思います。"
            #expect(Self.kinds(try await Self.check(app, conversation, vague)) == ["vague_promise"])
            let (sent, out) = try await app.admin(.post, "/api/v1/conversations/\(conversation)/reply", jsonString(["text": vague]))
            #expect(sent == .created, "\(out)")
            let id = try #require(((out["message"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
            #expect(try await app.store.conversations.message(id: id)?.details.replyWarnings == [.vaguePromise])
            let page = String(buffer: try await app.request(.get, "/conversations/\(conversation)", token: app.adminToken).body)
            #expect(page.contains(#"<p class="author-change reply-overridden" role="note">確認の警告を承知で送信: あいまいな約束</p>"#))
            // Without a shop system connected, a day cannot be held against an order, so it is not.
            #expect(Self.kinds(try await Self.check(app, conversation, "山田様\n12月3日にお届けします。")).isEmpty)
        }
    }

    @Test func forbiddenWordsThatCannotWorkAreRefusedWithTheirField() async throws {
        try await withTestApp(configure: { $0.role = .web }) { app in
            for words in [[String(repeating: "禁", count: 51)], (0...200).map { "word\($0)" }] {
                let (status, out) = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["forbiddenWords": words]))
                #expect(status == .unprocessableContent && out["field"] as? String == "forbiddenWords", "\(out)")
            }
            let (_, settings) = try await app.admin(.get, "/api/v1/settings/workspace")
            #expect(settings["forbiddenWords"] as? [String] == [])
            _ = try await app.admin(.patch, "/api/v1/settings/workspace", jsonString(["forbiddenWords": ["激安", "最安値"]]))
            let page = String(buffer: try await app.request(.get, "/settings/workspace", token: app.adminToken).body)
            #expect(page.contains("name=\"forbiddenWords\" data-type=\"rows\" rows=\"4\">激安\n最安値</textarea>"))
        }
    }
}
