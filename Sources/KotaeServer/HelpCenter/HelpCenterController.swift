import Foundation
import Hummingbird
import KotaeCore
import KotaeStore

/// The help center's admin API: categories, articles (Markdown, drafts, translations,
/// other phrasings and synonyms) and how the center presents the shop. Readers' votes and
/// views come back with each article.
struct HelpCenterController {
    let app: AppServices

    static let titleLength = 200
    static let bodyLength = 100_000
    static let phrasesLimit = 50

    func addRoutes(to api: APIRouteGroups) {
        api.signedIn.get("help/categories", use: listCategories)
        api.admin.post("help/categories", use: createCategory)
        api.admin.patch("help/categories/:id", use: updateCategory)
        api.admin.delete("help/categories/:id", use: deleteCategory)
        api.signedIn.get("help/articles", use: listArticles)
        api.signedIn.get("help/articles/:id", use: showArticle)
        api.admin.post("help/articles", use: createArticle)
        api.admin.patch("help/articles/:id", use: updateArticle)
        api.admin.delete("help/articles/:id", use: deleteArticle)
        api.signedIn.get("help/settings", use: showSettings)
        api.admin.put("help/settings", use: saveSettings)
    }

    // MARK: Categories

    struct CategoryInput: Decodable {
        let locale: HelpLocale?
        let name: String?
        let description: String?
        let position: Int?
        /// The id of the category this one translates.
        let translationOf: Int64?
    }

    func listCategories(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(["categories": try await app.store.help.categories()], request)
    }

    func createCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: CategoryInput.self, context: context)
        guard let locale = input.locale else { throw APIError.invalid("locale", "ja or en") }
        var category = HelpCategory(locale: locale, name: "", position: input.position ?? 0)
        try await apply(input, to: &category)
        return try context.json(try await app.store.help.create(category), request, status: .created)
    }

    func updateCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: CategoryInput.self, context: context)
        guard var category = try await app.store.help.category(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError.notFound("category")
        }
        if let locale = input.locale { category.locale = locale }
        if let position = input.position { category.position = position }
        try await apply(input, to: &category)
        guard let saved = try await app.store.help.update(category) else { throw APIError.notFound("category") }
        return try context.json(saved, request)
    }

    private func apply(_ input: CategoryInput, to category: inout HelpCategory) async throws {
        if let name = input.name { category.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        try validateName(category.name)
        if let description = input.description {
            guard description.count <= 1000 else { throw APIError.invalid("description", "at most 1,000 characters") }
            category.description = description
        }
        if let of = input.translationOf {
            guard let original = try await app.store.help.category(id: of) else { throw APIError.invalid("translationOf", "no category \(of)") }
            guard original.locale != category.locale else { throw APIError.invalid("translationOf", "a translation is in another language") }
            category.translationKey = original.translationKey
        }
    }

    func deleteCategory(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await app.store.help.deleteCategory(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError.notFound("category")
        }
        return Response(status: .noContent)
    }

    // MARK: Articles

    struct ArticleInput: Decodable {
        let locale: HelpLocale?
        let title: String?
        let body: String?
        let categoryId: Int64?
        let status: HelpArticle.Status?
        let position: Int?
        let alternatives: [String]?
        let synonyms: [String]?
        /// The id of the article this one translates.
        let translationOf: Int64?
    }

    func listArticles(_ request: Request, context: AppRequestContext) async throws -> Response {
        let locale = try request.uri.queryParameters.get("locale").map {
            guard let l = HelpLocale(rawValue: String($0)) else { throw APIError.invalid("locale", "ja or en") }
            return l
        }
        return try context.json(["articles": try await app.store.help.articles(locale: locale, drafts: true)], request)
    }

    struct ArticleDetail: Encodable {
        let article: HelpArticle
        let html: String
        let translations: [HelpArticle]
        let votes: [HelpCenter.Vote]
    }

    func showArticle(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let article = try await app.store.help.article(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError.notFound("article")
        }
        return try context.json(
            ArticleDetail(
                article: article, html: HelpMarkdown.html(article.body),
                translations: try await app.store.help.translations(of: article.translationKey).filter { $0.id != article.id },
                votes: try await app.store.help.votes(articleId: article.id)), request)
    }

    func createArticle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: ArticleInput.self, context: context)
        guard let locale = input.locale else { throw APIError.invalid("locale", "ja or en") }
        var article = HelpArticle(locale: locale, title: "", body: "", createdAt: app.clock.now, updatedAt: app.clock.now)
        try await apply(input, to: &article)
        return try context.json(try await app.store.help.create(article, now: app.clock.now), request, status: .created)
    }

    func updateArticle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: ArticleInput.self, context: context)
        guard var article = try await app.store.help.article(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError.notFound("article")
        }
        if let locale = input.locale { article.locale = locale }
        try await apply(input, to: &article)
        guard let saved = try await app.store.help.update(article, now: app.clock.now) else { throw APIError.notFound("article") }
        return try context.json(saved, request)
    }

    /// Checks the whole change before anything is stored.
    private func apply(_ input: ArticleInput, to article: inout HelpArticle) async throws {
        if let title = input.title { article.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let body = input.body { article.body = body }
        if let status = input.status { article.status = status }
        if let position = input.position { article.position = position }
        guard !article.title.isEmpty, article.title.count <= Self.titleLength else {
            throw APIError.invalid("title", "the question the article answers, 1 to \(Self.titleLength) characters")
        }
        guard article.body.count <= Self.bodyLength else { throw APIError.invalid("body", "at most \(Self.bodyLength) characters") }
        if article.status == .published, article.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError.invalid("body", "a published article needs its answer")
        }
        for (key, given) in [("alternatives", input.alternatives), ("synonyms", input.synonyms)] {
            guard let given else { continue }
            let phrases = given.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard phrases.count <= Self.phrasesLimit, phrases.allSatisfy({ $0.count <= Self.titleLength }) else {
                throw APIError.invalid(key, "at most \(Self.phrasesLimit), each at most \(Self.titleLength) characters")
            }
            if key == "alternatives" { article.alternatives = phrases } else { article.synonyms = phrases }
        }
        if let categoryId = input.categoryId {
            guard let category = try await app.store.help.category(id: categoryId) else {
                throw APIError.invalid("categoryId", "no category \(categoryId)")
            }
            article.categoryId = category.id
        }
        if let id = article.categoryId, let category = try await app.store.help.category(id: id), category.locale != article.locale {
            throw APIError.invalid("categoryId", "the category is in \(category.locale.rawValue), the article in \(article.locale.rawValue)")
        }
        if let of = input.translationOf {
            guard let original = try await app.store.help.article(id: of) else { throw APIError.invalid("translationOf", "no article \(of)") }
            let siblings = try await app.store.help.translations(of: original.translationKey)
            guard !siblings.contains(where: { $0.locale == article.locale && $0.id != article.id }) else {
                throw APIError.invalid("translationOf", "article \(of) already has a translation in \(article.locale.rawValue)")
            }
            article.translationKey = original.translationKey
        }
    }

    func deleteArticle(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await app.store.help.deleteArticle(id: try context.parameters.require("id", as: Int64.self)) else {
            throw APIError.notFound("article")
        }
        return Response(status: .noContent)
    }

    // MARK: Settings

    func showSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.json(try await HelpCenterSettings.load(app.store), request)
    }

    func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let settings = try await request.decode(as: HelpCenterSettings.self, context: context)
        if let problem = settings.problems().first { throw APIError.invalid(problem.key, problem.message) }
        if let id = settings.contactInboxId {
            guard let inbox = try await app.store.inboxes.find(id: id), inbox.channel == .email else {
                throw APIError.invalid("contactInboxId", "an email inbox: the form's messages are answered by email")
            }
        }
        try await settings.save(app.store)
        return try context.json(settings, request)
    }
}
