import Foundation
import Hummingbird
import HTTPTypes
import KotaeCore
import KotaeStore

/// The public help center, `/help/{ja|en}/…`: home with categories and search, one FAQ page
/// per category, article pages with "was this helpful?", search, and `/help/sitemap.xml`.
/// Server-rendered, no script; canonical and hreflang links, Open Graph, JSON-LD.
struct HelpPages {
    let app: AppServices
    let templates: WebTemplates

    /// No script at all; pictures of articles may come from the shop's own hosts.
    static let contentSecurityPolicy = [
        "default-src 'none'", "style-src 'self'", "img-src 'self' https: data:", "form-action 'self'", "base-uri 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The home page lists the first articles of each category; its page lists them all.
    static let homeArticlesPerCategory = 6

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("help", use: root)
        router.get("help/sitemap.xml", use: sitemap)
        router.get("help/theme.css", use: theme)
        router.get("help/:locale", use: home)
        router.get("help/:locale/search", use: search)
        router.get("help/:locale/categories/:id", use: category)
        router.get("help/:locale/articles/:id", use: article)
        router.post("help/:locale/articles/:id/vote", use: vote)
    }

    // MARK: Pages

    func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lang = WebStrings.language(user: nil, acceptLanguage: request.headers[.acceptLanguage])
        return .redirect(to: "/help/\(lang)", type: .found)
    }

    func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try self.locale(context)
        let base = baseURL(request)
        let help = try await app.help.current()
        return try await cached("help-home", base + request.uri.path, help) { try await homeModel(locale, base: base, help) }
    }

    func homeModel(_ locale: HelpLocale, base: String, _ help: PublishedHelp.Snapshot) async throws -> [String: Any] {
        let shop = help.settings
        let categories = help.categories.filter { $0.locale == locale }.map { c -> [String: Any] in
            let inside = help.articles(in: c.id, locale: locale)
            return [
                "name": c.name, "description": c.description, "url": "/help/\(locale.rawValue)/categories/\(c.id)",
                "articles": inside.prefix(Self.homeArticlesPerCategory).map(link),
                "more": inside.count > Self.homeArticlesPerCategory ? t(locale, "see_all", ["n": String(inside.count)]) : "",
            ]
        }
        let uncategorized = help.articles(in: nil, locale: locale).map(link)
        var model = try await common(locale, base: base, path: "/help/\(locale.rawValue)", shop: shop, title: t(locale, "help_center"))
        model.merge([
            "categories": categories, "uncategorized": uncategorized, "hasUncategorized": !uncategorized.isEmpty, "ogType": "website",
            "alternates": alternates(base, current: locale) { "/help/\($0.rawValue)" },
            "jsonLD": HelpStructuredData.organization(shop, url: base + "/help/\(locale.rawValue)", contactURL: base + "/help/\(locale.rawValue)"),
        ]) { _, b in b }
        return model
    }

    func category(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try self.locale(context)
        let help = try await app.help.current()
        guard let c = help.category(try context.parameters.require("id", as: Int64.self)), c.locale == locale else {
            return try await notFound(request, locale)
        }
        let base = baseURL(request)
        return try await cached("help-category", base + request.uri.path, help) { try await categoryModel(c, locale, base: base, help) }
    }

    func categoryModel(_ c: HelpCategory, _ locale: HelpLocale, base: String, _ help: PublishedHelp.Snapshot) async throws -> [String: Any] {
        let shop = help.settings
        let articles = help.articles(in: c.id, locale: locale)
        let faq = articles.map { a -> [String: Any] in
            ["id": a.id, "question": a.title, "answerHTML": app.help.render(a).html, "url": "/help/\(locale.rawValue)/articles/\(a.id)"]
        }
        let translations = help.categories.filter { $0.translationKey == c.translationKey }
        var model = try await common(
            locale, base: base, path: "/help/\(locale.rawValue)/categories/\(c.id)", shop: shop, title: c.name,
            description: c.description.isEmpty ? articles.prefix(3).map(\.title).joined(separator: " / ") : c.description)
        model.merge([
            "category": ["name": c.name, "description": c.description], "faq": faq, "ogType": "website",
            "alternates": alternates(
                base, current: locale, among: translations.map { ($0.locale, "/help/\($0.locale.rawValue)/categories/\($0.id)") }),
            "jsonLD": faq.isEmpty ? "" : HelpStructuredData.faqPage(articles.map { ($0.title, app.help.render($0).html) }),
        ]) { _, b in b }
        return model
    }

    func article(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try self.locale(context)
        let help = try await app.help.current()
        guard let a = help.articles[try context.parameters.require("id", as: Int64.self)], a.locale == locale else {
            return try await notFound(request, locale)
        }
        app.helpViews.viewed(a.id)
        let base = baseURL(request)
        let voted = request.uri.queryParameters.get("voted") != nil
        return try await cached("help-article", base + request.uri.path + (voted ? "?voted" : ""), help) {
            try await articleModel(a, locale, base: base, voted: voted, help)
        }
    }

    func articleModel(
        _ a: HelpArticle, _ locale: HelpLocale, base: String, voted: Bool, _ help: PublishedHelp.Snapshot
    ) async throws -> [String: Any] {
        let shop = help.settings
        let category = a.categoryId.flatMap(help.category)
        let translations = help.translations(of: a)
        let related = try await app.help.related(to: a).map(link)
        let shown = app.help.render(a)
        let text = shown.text
        var model = try await common(
            locale, base: base, path: "/help/\(locale.rawValue)/articles/\(a.id)", shop: shop, title: a.title,
            description: String(text.prefix(160)))
        let day = Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: locale == .ja ? "ja_JP" : "en_US"), timeZone: .current)
        model.merge([
            "article": ["title": a.title], "html": shown.html, "ogType": "article",
            "updated": a.updatedAt.formatted(day), "updatedISO": ISO8601DateFormatter().string(from: a.updatedAt),
            "category": category.map { ["name": $0.name, "url": "/help/\(locale.rawValue)/categories/\($0.id)"] } as Any,
            "related": related, "hasRelated": !related.isEmpty, "voted": voted,
            "voteURL": "/help/\(locale.rawValue)/articles/\(a.id)/vote",
            "alternates": alternates(base, current: locale, among: translations.map { ($0.locale, "/help/\($0.locale.rawValue)/articles/\($0.id)") }),
        ]) { _, b in b }
        return model
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try self.locale(context)
        let query = String((request.uri.queryParameters.get("q") ?? "").prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
        let base = baseURL(request)
        let shop = try await app.help.current().settings
        let found = query.isEmpty ? [] : try await app.help.search(query, locale: locale)
        let results = found.map { a -> [String: Any] in
            var l = link(a)
            l["snippet"] = String(app.help.render(a).text.prefix(120))
            return l
        }
        var model = try await common(locale, base: base, path: "/help/\(locale.rawValue)", shop: shop, title: t(locale, "search"))
        model.merge([
            "results": results, "hasResults": !results.isEmpty, "query": query, "ogType": "website",
            "heading": t(locale, "search_results", ["q": query]), "none": t(locale, "search_none", ["q": query]),
            "alternates": alternates(base, current: locale) { "/help/\($0.rawValue)" },
        ]) { _, b in b }
        var response = page("help-search", model)
        // Search results are not pages of their own for search engines.
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex"
        return response
    }

    /// "Was this helpful?": a vote and an optional comment, then back to the article.
    func vote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try self.locale(context)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = String(buffer: try await request.body.collect(upTo: 16 * 1024))
        let form = try URLEncodedFormDecoder().decode([String: String].self, from: body)
        guard let answer = form["helpful"], ["yes", "no"].contains(answer) else { throw APIError.invalid("helpful", "yes or no") }
        let comment = form["comment"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000)) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        guard try await app.store.help.vote(articleId: id, helpful: answer == "yes", comment: comment, now: app.clock.now) else {
            return try await notFound(request, locale)
        }
        return .redirect(to: "/help/\(locale.rawValue)/articles/\(id)?voted=1", type: .normal)
    }

    /// Every published article, category page and home, in each language.
    func sitemap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let base = baseURL(request)
        let stamp = ISO8601DateFormatter()
        var urls: [(String, Date?)] = HelpLocale.allCases.map { (base + "/help/\($0.rawValue)", nil) }
        let help = try await app.help.current()
        for c in help.categories { urls.append((base + "/help/\(c.locale.rawValue)/categories/\(c.id)", nil)) }
        for a in help.articles.values.sorted(by: { $0.id < $1.id }) {
            urls.append((base + "/help/\(a.locale.rawValue)/articles/\(a.id)", a.updatedAt))
        }
        let body = urls.map { url, at in
            "<url><loc>\(HTMLSanitizer.escapeText(url))</loc>\(at.map { "<lastmod>\(stamp.string(from: $0))</lastmod>" } ?? "")</url>"
        }.joined(separator: "\n")
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\(body)\n</urlset>\n"
        return Response(
            status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    /// The shop's colour, as the one variable the help center's style sheet reads.
    func theme(_ request: Request, context: AppRequestContext) async throws -> Response {
        let shop = try await app.help.current().settings
        let color = shop.problems().contains { $0.key == "color" } ? HelpCenterSettings.standard.color : shop.color
        return Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=60"],
            body: .init(byteBuffer: ByteBuffer(string: ":root { --shop: \(color); }\n")))
    }

    // MARK: Parts

    func locale(_ context: AppRequestContext) throws -> HelpLocale {
        guard let locale = HelpLocale(rawValue: try context.parameters.require("locale")) else { throw APIError.notFound("page") }
        return locale
    }

    func t(_ locale: HelpLocale, _ key: String, _ values: [String: String] = [:]) -> String {
        values.reduce(HelpStrings.table(locale.rawValue)[key] ?? key) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// Absolute links need the address customers use: `KOTAE_PUBLIC_URL`, else the request's host.
    func baseURL(_ request: Request) -> String {
        if let url = app.config.publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        return "http://" + (request.head.authority ?? "localhost")
    }

    func link(_ a: HelpArticle) -> [String: Any] { ["title": a.title, "url": "/help/\(a.locale.rawValue)/articles/\(a.id)"] }

    func common(
        _ locale: HelpLocale, base: String, path: String, shop: HelpCenterSettings, title: String, description: String? = nil
    ) async throws -> [String: Any] {
        [
            "lang": locale.rawValue, "t": HelpStrings.table(locale.rawValue), "shop": shop, "title": title,
            "description": description ?? "\(shop.shopName) \(t(locale, "help_center"))", "canonical": base + path,
            "home": "/help/\(locale.rawValue)", "query": "",
        ]
    }

    /// hreflang links: each language the page exists in.
    func alternates(_ base: String, current: HelpLocale, among pages: [(HelpLocale, String)]) -> [[String: Any]] {
        pages.sorted { $0.0.rawValue > $1.0.rawValue }.map {
            [
                "lang": $0.0.rawValue, "url": base + $0.1, "path": $0.1, "name": HelpStrings.table($0.0.rawValue)["lang_name"] ?? "",
                "current": $0.0 == current,
            ]
        }
    }

    func alternates(_ base: String, current: HelpLocale, path: (HelpLocale) -> String) -> [[String: Any]] {
        alternates(base, current: current, among: HelpLocale.allCases.map { ($0, path($0)) })
    }

    /// A page rendered once per version of the help center (and per address it is asked at).
    func cached(
        _ template: String, _ key: String, _ help: PublishedHelp.Snapshot, model: () async throws -> [String: Any]
    ) async throws -> Response {
        let html = try await app.help.page(key, of: help) {
            templates.library.render(try await model(), withTemplate: template) ?? "template \(template) is missing"
        }
        return respond(html)
    }

    func page(_ name: String, _ model: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        respond(templates.library.render(model, withTemplate: name) ?? "template \(name) is missing", status: status)
    }

    func respond(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var response = WebTemplates.html(html, status: status, csp: Self.contentSecurityPolicy, frameOptions: "DENY")
        response.headers[.cacheControl] = "public, max-age=60"
        return response
    }

    func notFound(_ request: Request, _ locale: HelpLocale) async throws -> Response {
        let shop = try await app.help.current().settings
        var model = try await common(locale, base: baseURL(request), path: "/help/\(locale.rawValue)", shop: shop, title: t(locale, "not_found"))
        model.merge([
            "heading": t(locale, "not_found"), "hasResults": false, "none": "", "ogType": "website",
            "alternates": alternates(baseURL(request), current: locale) { "/help/\($0.rawValue)" },
        ]) { _, b in b }
        var response = page("help-search", model, status: .notFound)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
