import Foundation
import HTTPTypes
import HummingbirdTesting
import KotaeCore
import KotaeStore
import KotaeTesting
import NIOCore
import Testing

@testable import KotaeServer

/// The public help center: articles written by admins in Markdown, shown only when published,
/// FAQ pages whose JSON-LD is exactly what they show, a sitemap, canonical and hreflang
/// links, Japanese search, votes and views; nothing written in an article runs in a reader's browser.
@Suite struct HelpCenterTests {
    struct Made {
        let delivery: Int64, returns: Int64
        let shippingFee: Int64, returnsArticle: Int64, returnsEnglish: Int64, sizes: Int64, draft: Int64
    }

    @discardableResult
    static func create(_ app: TestApp, _ path: String, _ body: [String: Any]) async throws -> Int64 {
        let (status, out) = try await app.admin(.post, "/api/v1/help/\(path)", jsonString(body))
        try #require(status == .created, "\(out)")
        return (out["id"] as! NSNumber).int64Value
    }

    /// A small help center in Japanese with one English translation.
    static func shop(_ app: TestApp) async throws -> Made {
        _ = try await app.admin(
            .put, "/api/v1/help/settings",
            jsonString([
                "shopName": "みどりアウトフィッターズ", "color": "#1b5e20", "supportEmail": "support@midori.example",
                "returnPolicyURL": "https://midori.example/returns",
            ]))
        let delivery = try await create(app, "categories", ["locale": "ja", "name": "配送について", "position": 1])
        let returns = try await create(app, "categories", ["locale": "ja", "name": "返品・交換", "position": 2])
        let returnsEN = try await create(app, "categories", ["locale": "en", "name": "Returns", "translationOf": returns])
        let fee = try await create(
            app, "articles",
            [
                "locale": "ja", "categoryId": delivery, "title": "送料はいくらですか?", "status": "published",
                "body": "全国一律**660円**です。\n\n税込11,000円以上で*送料無料*になります。", "synonyms": ["配送料"],
            ])
        let returnsArticle = try await create(
            app, "articles",
            [
                "locale": "ja", "categoryId": returns, "title": "返品はできますか?", "status": "published",
                "body": "商品到着後30日以内、未使用でタグ付きのものに限り返品を承ります。", "alternatives": ["いらなくなった商品を送り返したい"],
            ])
        let returnsEnglish = try await create(
            app, "articles",
            [
                "locale": "en", "categoryId": returnsEN, "title": "Can I return an item?", "status": "published",
                "body": "Within 30 days of delivery, unused with tags.", "translationOf": returnsArticle,
            ])
        let sizes = try await create(
            app, "articles",
            ["locale": "ja", "categoryId": returns, "title": "サイズ表はありますか?", "status": "published", "body": "各商品ページにサイズ表があります。"])
        let draft = try await create(app, "articles", ["locale": "ja", "categoryId": delivery, "title": "在庫の確認（下書き）", "body": "準備中"])
        return Made(
            delivery: delivery, returns: returns, shippingFee: fee, returnsArticle: returnsArticle, returnsEnglish: returnsEnglish, sizes: sizes,
            draft: draft)
    }

    func page(_ app: TestApp, _ path: String) async throws -> (HTTPResponse.Status, String) {
        let r = try await app.request(.get, path)
        return (r.status, String(buffer: r.body))
    }

    /// The JSON-LD blocks of a page, parsed.
    func structuredData(_ html: String) throws -> [[String: Any]] {
        try html.matches(of: /<script type="application\/ld\+json">(.*?)<\/script>/.dotMatchesNewlines()).map {
            try JSONSerialization.jsonObject(with: Data(String($0.output.1).utf8)) as! [String: Any]
        }
    }

    @Test func onlyPublishedArticlesArePublic() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            let (status, home) = try await page(app, "/help/ja")
            #expect(status == .ok && home.contains("送料はいくらですか?") && home.contains("配送について"))
            #expect(!home.contains("在庫の確認"), "a draft is not listed")
            #expect(try await page(app, "/help/ja/articles/\(made.draft)").0 == .notFound)
            #expect(try await page(app, "/help/en/articles/\(made.shippingFee)").0 == .notFound, "an article is at its own language's address")
            #expect(try await page(app, "/help/fr").0 == .notFound)
            let (ok, article) = try await page(app, "/help/ja/articles/\(made.shippingFee)")
            #expect(ok == .ok && article.contains("<strong>660円</strong>") && article.contains("<em>送料無料</em>"))
            #expect(article.contains("みどりアウトフィッターズ") && article.contains("https://midori.example/returns"))
            // Pages are kept rendered, but every write shows at once: a publication, an edit, the shop's name.
            _ = try await app.admin(.patch, "/api/v1/help/articles/\(made.draft)", jsonString(["status": "published", "title": "在庫はありますか?"]))
            _ = try await app.admin(.patch, "/api/v1/help/articles/\(made.shippingFee)", jsonString(["body": "全国一律**770円**です。"]))
            _ = try await app.admin(
                .put, "/api/v1/help/settings",
                jsonString(["shopName": "みどりアウトドア", "color": "#1b5e20", "logoURL": "https://cdn.midori.example/logo.png"]))
            let renamed = try await page(app, "/help/ja").1
            #expect(renamed.contains("在庫はありますか?"))
            // The shop's logo and colour on every page.
            #expect(renamed.contains(#"<img src="https://cdn.midori.example/logo.png" alt="" height="32"><span>みどりアウトドア</span>"#))
            #expect(try await page(app, "/help/theme.css").1.contains("--shop: #1b5e20;"))
            let edited = try await page(app, "/help/ja/articles/\(made.shippingFee)").1
            #expect(edited.contains("<strong>770円</strong>") && !edited.contains("660円") && edited.contains("みどりアウトドア"))
            #expect(!(try await page(app, "/help/ja/categories/\(made.delivery)").1.contains("660円")))
        }
    }

    /// Each category's page marks up its questions and answers exactly as it shows them;
    /// no other page marks them up again; the home page carries the shop and its contact.
    @Test func theFAQPagesStructuredDataIsWhatThePageShows() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            let (_, html) = try await page(app, "/help/ja/categories/\(made.returns)")
            let faq = try #require(try structuredData(html).first { $0["@type"] as? String == "FAQPage" })
            #expect(faq["@context"] as? String == "https://schema.org")
            let entities = try #require(faq["mainEntity"] as? [[String: Any]])
            let shownQuestions = html.matches(of: /<h2 class="hc-question"><a href="[^"]*">(.*?)<\/a><\/h2>/).map { String($0.output.1) }
            let shownAnswers = html.matches(of: /<div class="hc-answer">(.*?)<\/div><\/article>/.dotMatchesNewlines()).map { String($0.output.1) }
            #expect(entities.map { $0["name"] as? String } == shownQuestions.map { $0 })
            #expect(shownQuestions == ["返品はできますか?", "サイズ表はありますか?"])
            #expect(entities.map { $0["@type"] as? String } == ["Question", "Question"])
            let answers = entities.map { ($0["acceptedAnswer"] as? [String: Any])?["text"] as? String }
            #expect(answers == shownAnswers.map { $0 } && answers.allSatisfy { $0?.isEmpty == false })
            #expect(entities.allSatisfy { ($0["acceptedAnswer"] as? [String: Any])?["@type"] as? String == "Answer" })
            // Marked up on one page only: not on the article's own page, not on the home page.
            for path in ["/help/ja/articles/\(made.returnsArticle)", "/help/ja"] {
                let other = try await page(app, path).1
                #expect(try structuredData(other).allSatisfy { $0["@type"] as? String != "FAQPage" }, "\(path)")
            }
            let org = try #require(try structuredData(try await page(app, "/help/ja").1).first { $0["@type"] as? String == "Organization" })
            #expect(org["name"] as? String == "みどりアウトフィッターズ")
            let contact = try #require((org["contactPoint"] as? [[String: Any]])?.first)
            #expect(contact["@type"] as? String == "ContactPoint" && contact["email"] as? String == "support@midori.example")
        }
    }

    @Test func theSitemapListsEveryPublishedArticleInEachLanguage() async throws {
        try await withTestApp(configure: { $0.publicURL = "https://help.midori.example" }) { app in
            let made = try await Self.shop(app)
            let r = try await app.request(.get, "/help/sitemap.xml")
            let xml = String(buffer: r.body)
            #expect(r.headers[.contentType]?.hasPrefix("application/xml") == true)
            let locs = Set(xml.matches(of: /<loc>(.*?)<\/loc>/).map { String($0.output.1) })
            for (locale, id) in [("ja", made.shippingFee), ("ja", made.returnsArticle), ("en", made.returnsEnglish), ("ja", made.sizes)] {
                #expect(locs.contains("https://help.midori.example/help/\(locale)/articles/\(id)"))
            }
            #expect(locs.contains("https://help.midori.example/help/ja") && locs.contains("https://help.midori.example/help/en"))
            #expect(!locs.contains("https://help.midori.example/help/ja/articles/\(made.draft)"))
            // The page says where it lives and where its translation is.
            let html = try await page(app, "/help/ja/articles/\(made.returnsArticle)").1
            #expect(html.contains("<link rel=\"canonical\" href=\"https://help.midori.example/help/ja/articles/\(made.returnsArticle)\">"))
            #expect(
                html.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://help.midori.example/help/en/articles/\(made.returnsEnglish)\">")
            )
            #expect(html.contains("<meta property=\"og:title\" content=\"返品はできますか?\">"))
        }
    }

    /// 返品 and 送料 are two characters; ｻｲｽﾞ is サイズ in half-width kana; a phrasing the
    /// shop added finds its article; a search finds nothing rather than something unrelated.
    @Test func japaneseSearchFindsTwoCharacterWordsAndWidthVariants() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            func first(_ q: String) async throws -> String? {
                let html = try await page(app, "/help/ja/search?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).1
                return html.firstMatch(of: /<ol class="hc-results"><li><a href="([^"]+)"/).map { String($0.output.1) }
            }
            #expect(try await first("返品") == "/help/ja/articles/\(made.returnsArticle)")
            #expect(try await first("送料") == "/help/ja/articles/\(made.shippingFee)")
            #expect(try await first("ｻｲｽﾞ") == "/help/ja/articles/\(made.sizes)")
            #expect(try await first("送り返したい") == "/help/ja/articles/\(made.returnsArticle)")
            #expect(try await first("在庫") == nil, "the draft is not searched")
            let none = try await page(app, "/help/ja/search?q=" + "天気".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(none.0 == .ok && none.1.contains("一致する記事は見つかりませんでした"))
            // An edit is searched at once.
            _ = try await app.admin(.patch, "/api/v1/help/articles/\(made.draft)", jsonString(["status": "published"]))
            #expect(try await first("在庫") == "/help/ja/articles/\(made.draft)")
        }
    }

    @Test func scriptInAnArticleNeverRuns() async throws {
        try await withTestApp { app in
            let id = try await Self.create(
                app, "articles",
                [
                    "locale": "ja", "status": "published", "title": "<img src=x onerror=alert(1)>テスト",
                    "body":
                        "本文<script>alert('x')</script>\n\n<a href=\"javascript:alert(2)\">リンク</a> <img src=\"https://cdn.example/a.png\" onerror=\"alert(3)\">",
                ])
            let html = try await page(app, "/help/ja/articles/\(id)").1
            #expect(!html.contains("<script>alert") && html.firstMatch(of: /<(img|a)\s[^>]*onerror/) == nil && !html.contains("javascript:"))
            #expect(html.contains("<h1>&lt;img src=x onerror=alert(1)&gt;テスト</h1>"), "the title is text")
            #expect(html.contains("<img src=\"https://cdn.example/a.png\""), "the shop's own picture is shown")
            let r = try await app.request(.get, "/help/ja/articles/\(id)")
            #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
    }

    /// An article's page lists others on the same matter, never itself, a draft or another language.
    @Test func anArticleShowsRelatedArticles() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            let related = try await Self.create(
                app, "articles",
                ["locale": "ja", "categoryId": made.returns, "title": "返品の送料はどちらの負担ですか?", "status": "published", "body": "不良品の返品は当店負担です。"])
            _ = try await Self.create(
                app, "articles", ["locale": "ja", "categoryId": made.returns, "title": "返品の期限について（下書き）", "body": "準備中"])
            let html = try await page(app, "/help/ja/articles/\(made.returnsArticle)").1
            let section = try #require(
                html.range(of: "class=\"hc-related\"").map { String(html[$0.upperBound...]).components(separatedBy: "</section>")[0] })
            let links = section.matches(of: /href="([^"]+)"/).map { String($0.1) }
            #expect(links.first == "/help/ja/articles/\(related)")
            #expect(!links.contains("/help/ja/articles/\(made.returnsArticle)") && !links.contains { $0.hasPrefix("/help/en/") })
            #expect(!section.contains("下書き"))
        }
    }

    @Test func votesAndViewsAreCountedAndCommentsKeptForTheAdmin() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            _ = try await page(app, "/help/ja/articles/\(made.sizes)")
            _ = try await page(app, "/help/ja/articles/\(made.sizes)")
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let voted = try await app.client.execute(
                uri: "/help/ja/articles/\(made.sizes)/vote", method: .post, headers: form,
                body: ByteBuffer(string: "helpful=no&comment=" + "ブーツの表がない".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
            #expect(voted.status == .seeOther && voted.headers[.location] == "/help/ja/articles/\(made.sizes)?voted=1")
            #expect(try await page(app, "/help/ja/articles/\(made.sizes)?voted=1").1.contains("ご意見ありがとうございました"))
            let bad = try await app.client.execute(
                uri: "/help/ja/articles/\(made.sizes)/vote", method: .post, headers: form, body: ByteBuffer(string: "helpful=maybe"))
            #expect(bad.status == .unprocessableContent)
            let draft = try await app.client.execute(
                uri: "/help/ja/articles/\(made.draft)/vote", method: .post, headers: form, body: ByteBuffer(string: "helpful=yes"))
            #expect(draft.status == .notFound)
            try await app.services.helpViews.flush()
            let (_, detail) = try await app.admin(.get, "/api/v1/help/articles/\(made.sizes)")
            let article = try #require(detail["article"] as? [String: Any])
            #expect(article["views"] as? Int == 3 && article["notHelpful"] as? Int == 1 && article["helpful"] as? Int == 0)
            #expect((detail["votes"] as? [[String: Any]])?.first?["comment"] as? String == "ブーツの表がない")
        }
    }

    /// Each bad change is refused with its field, and nothing of it is stored.
    @Test func badArticlesAndSettingsAreRefusedWhole() async throws {
        try await withTestApp { app in
            let made = try await Self.shop(app)
            let before = try await app.store.help.article(id: made.shippingFee)
            for (body, field): ([String: Any], String) in [
                (["title": ""], "title"),
                (["title": String(repeating: "長", count: 201)], "title"),
                (["body": String(repeating: "a", count: 100_001)], "body"),
                (["categoryId": 999], "categoryId"),
                (["locale": "en"], "categoryId"),
                (["translationOf": made.returnsArticle, "title": "別の質問"], "translationOf"),
                (["synonyms": Array(repeating: "x", count: 51)], "synonyms"),
            ] {
                let (status, out) = try await app.admin(.patch, "/api/v1/help/articles/\(made.shippingFee)", jsonString(body))
                #expect(status == .unprocessableContent && out["field"] as? String == field, "\(body): \(out)")
            }
            #expect(try await app.store.help.article(id: made.shippingFee) == before)
            let (status, out) = try await app.admin(
                .post, "/api/v1/help/articles", jsonString(["locale": "ja", "title": "空", "status": "published", "body": " "]))
            #expect(status == .unprocessableContent && out["field"] as? String == "body")
            let (bad, why) = try await app.admin(.put, "/api/v1/help/settings", jsonString(["shopName": "x", "color": "green"]))
            #expect(bad == .unprocessableContent && why["field"] as? String == "color")
            #expect(
                try await app.request(.post, "/api/v1/help/articles", token: app.agentToken, json: #"{"locale":"ja","title":"x"}"#).status
                    == .forbidden)
        }
    }
}
