import AsyncHTTPClient
import Foundation
import KotaeCore
import KotaeServer
import KotaeStore
import Logging
import NIOCore

/// The help center with 2,000 published articles (1,600 Japanese, 400 English) in 40
/// categories: its home, FAQ pages, articles and search, through HTTP as a reader's browser asks.
struct HelpBench {
    static let articles = 2_000
    static let categoriesPerLocale = 20

    let dir: String

    var dataDir: String { dir + "/help-\(Self.articles)-v2" }

    static let topics = [
        ("返品", "return"), ("送料", "shipping fee"), ("在庫", "stock"), ("サイズ", "size"), ("交換", "exchange"), ("返金", "refund"),
        ("配送", "delivery"), ("クーポン", "coupon"), ("ポイント", "points"), ("領収書", "receipt"), ("支払い", "payment"),
        ("ギフト", "gift"), ("会員登録", "sign-up"), ("パスワード", "password"), ("キャンセル", "cancel"), ("お手入れ", "care"),
        ("予約商品", "pre-order"), ("海外発送", "international shipping"), ("不良品", "defect"), ("日時指定", "delivery date"),
    ]
    static let items = ["ジャケット", "テント", "ブーツ", "Tシャツ", "ストーブ", "寝袋", "ザック", "帽子", "手袋", "靴下"]

    /// Generates the data set once per directory.
    func ensureDataset(logger: Logger) async throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let db = try await KotaeDatabase.open(url: "sqlite:\(dataDir)/kotae.sqlite", logger: logger)
        try await db.migrate()
        let store = KotaeStore(db: db, secrets: SecretBox(secret: try SecretKeyFile.loadOrCreate(in: URL(fileURLWithPath: dataDir))))
        let marker = "bench_help", want = "\(Self.articles)-v2"
        if try await store.setting(marker) != want {
            FileHandle.standardError.write(Data("generating \(Self.articles) help center articles in \(dataDir)…\n".utf8))
            var categories: [HelpLocale: [HelpCategory]] = [:]
            for locale in HelpLocale.allCases {
                for (i, topic) in Self.topics.prefix(Self.categoriesPerLocale).enumerated() {
                    categories[locale, default: []].append(
                        try await store.help.create(
                            HelpCategory(locale: locale, name: locale == .ja ? "\(topic.0)について" : topic.1.capitalized, position: i)))
                }
            }
            for n in 0..<Self.articles {
                let locale: HelpLocale = n % 5 == 4 ? .en : .ja
                let t = Self.topics[n % Self.topics.count], item = Self.items[(n / Self.topics.count) % Self.items.count]
                let category = categories[locale]![(n / 5) % Self.categoriesPerLocale]
                let title = locale == .ja ? "\(item)の\(t.0)について教えてください（\(n)）" : "About \(t.1) for \(item) (\(n))"
                let body =
                    locale == .ja
                    ? "\(item)の\(t.0)は、ご注文から**30日以内**に承ります。\n\n- 未使用でタグが付いていること\n- 送料は当店負担です\n\n詳しくは[ご利用ガイド](https://example.jp/guide)をご覧ください。在庫やサイズについてもお気軽にお問い合わせください。"
                    : "We handle \(t.1) for \(item) within **30 days** of your order.\n\n- unused with tags\n- we pay the shipping\n\nSee our [guide](https://example.jp/guide)."
                _ = try await store.help.create(
                    HelpArticle(
                        locale: locale, categoryId: category.id, title: title, body: body, alternatives: ["\(item) \(t.0)"], synonyms: [t.0],
                        status: .published, position: n))
            }
            try await store.setSetting(marker, want)
        }
        await db.close()
    }

    func run(http: HTTPClient, base: String, token: String, report: inout BenchReport) async throws {
        let q = QueryBench(http: http, base: base, token: token, inboxId: 0, label: "SQLite")
        // What is timed must be the real pages: a FAQ page with its questions, a search that finds.
        let faq = String(decoding: try await q.body("/help/ja/categories/1"), as: UTF8.self)
        guard faq.contains("\"@type\":\"FAQPage\""), faq.components(separatedBy: "class=\"hc-qa\"").count > 40 else {
            throw BenchFailure("the FAQ page does not show its questions")
        }
        let found = String(
            decoding: try await q.body("/help/ja/search?q=" + "返品".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!), as: UTF8.self)
        guard found.contains("の返品について教えてください") else { throw BenchFailure("the search for 返品 found nothing") }
        let pages =
            ["/help/ja", "/help/en"] + (1...40).map { "/help/\($0 <= 20 ? "ja" : "en")/categories/\($0)" }
            + stride(from: 1, to: Self.articles, by: 7).prefix(200).map { n in "/help/\(n % 5 == 0 ? "en" : "ja")/articles/\(n)" }
        for path in pages.prefix(50) { _ = try await q.get(path) }
        var all = Latencies()
        var kinds: [String: Latencies] = [:]
        for i in 0..<3_000 {
            let path = pages[i % pages.count]
            let t = try await q.get(path)
            all.add(t)
            kinds[path.contains("/categories/") ? "FAQ pages" : path.contains("/articles/") ? "articles" : "home", default: Latencies()].add(t)
        }
        report.add(
            "help center pages (\(Self.articles.formatted()) articles: home, FAQ pages of 80 Japanese or 20 English questions, articles)",
            all.summary, "p99 < 10 ms")
        for (kind, l) in kinds.sorted(by: { $0.key < $1.key }) { report.add("  of which \(kind)", l.summary, "") }
        let words = ["返品", "送料", "在庫", "サイズ", "ｻｲｽﾞ", "返金 いつ", "テントの交換", "へんぴん", "refund", "shipping fee", "クーポン 使い方", "予約商品 発送"]
        var searches = Latencies()
        for i in 0..<2_000 {
            let word = words[i % words.count]
            let locale = word.first!.isASCII ? "en" : "ja"
            searches.add(try await q.get("/help/\(locale)/search?q=" + word.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
        }
        report.add("help center search (\(Self.articles.formatted()) articles, Japanese and English words)", searches.summary, "p99 < 20 ms")
        // Pages are kept rendered per version: the first page after an edit pays for the
        // rebuild (index of every article, the page itself).
        var cold = Latencies()
        for i in 0..<20 {
            var edit = HTTPClientRequest(url: base + "/api/v1/help/articles/\(1 + i * 5)")
            edit.method = .PATCH
            edit.headers.add(name: "Authorization", value: "Bearer \(token)")
            edit.headers.add(name: "Content-Type", value: "application/json")
            edit.body = .bytes(ByteBuffer(string: #"{"position": \#(10_000 + i)}"#))
            let answer = try await http.execute(edit, timeout: .seconds(30))
            guard answer.status == .ok else { throw BenchFailure("the edit answered \(answer.status)") }
            cold.add(try await q.get("/help/ja/categories/\(1 + i % 20)"))
        }
        report.add("  the first FAQ page after an edit (every article re-indexed, the page rendered)", cold.summary, "")
    }
}
