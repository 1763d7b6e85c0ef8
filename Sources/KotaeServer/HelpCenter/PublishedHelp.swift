import Foundation
import KotaeCore
import KotaeStore

/// The help center as readers see it, in memory: the published articles by category, their
/// rendered HTML and the search index (also the bot's). Rebuilt when `store.help.version()`
/// changes (every write to an article or category bumps it in its transaction), so each page
/// costs one small query; identical on SQLite and PostgreSQL because it is built from the rows.
final class PublishedHelp: Sendable {
    struct Snapshot: Sendable {
        let version: String
        /// How the center presents the shop (saving it bumps the version too).
        let settings: HelpCenterSettings
        let index: FAQIndex
        let articles: [ID: HelpArticle]
        let categories: [HelpCategory]
        /// Each category's published articles in order; `nil` holds those of no category.
        let byCategory: [ID?: [HelpArticle]]

        func category(_ id: ID) -> HelpCategory? { categories.first { $0.id == id } }
        func articles(in category: ID?, locale: HelpLocale) -> [HelpArticle] {
            (byCategory[category] ?? []).filter { $0.locale == locale }
        }
        func translations(of a: HelpArticle) -> [HelpArticle] {
            articles.values.filter { $0.translationKey == a.translationKey }.sorted { $0.locale.rawValue < $1.locale.rawValue }
        }
    }

    struct Rendered: Sendable {
        let updatedAt: Date
        let html: String
        let text: String
    }

    static let keptPages = 20_000

    /// Below this confidence a match is a stray character or a glossary word, not an answer.
    static let minimumConfidence = 0.25

    let store: KotaeStore
    private let cached = Locked<Snapshot?>(nil)
    private let rendered = Locked<[ID: Rendered]>([:])
    /// Whole pages as rendered for a version: a page changes only when something is written.
    private let pages = Locked<(version: String, byKey: [String: String])>(("", [:]))

    init(store: KotaeStore) {
        self.store = store
    }

    func current() async throws -> Snapshot {
        let version = try await store.help.version()
        if let kept = cached.withLock({ $0 }), kept.version == version { return kept }
        let published = try await store.help.articles()
        let entries = published.map {
            FAQEntry(
                id: String($0.id), locale: $0.locale.rawValue, question: $0.title, answer: render($0).text, alternatives: $0.alternatives,
                synonyms: $0.synonyms, translationKey: $0.translationKey)
        }
        let made = Snapshot(
            version: version, settings: try await HelpCenterSettings.load(store), index: FAQIndex(entries),
            articles: Dictionary(uniqueKeysWithValues: published.map { ($0.id, $0) }),
            categories: try await store.help.categories(), byCategory: Dictionary(grouping: published, by: \.categoryId))
        cached.withLock { $0 = made }
        return made
    }

    /// The page `key` of `snapshot`, rendered once for its version.
    func page(_ key: String, of snapshot: Snapshot, render: () async throws -> String) async rethrows -> String {
        if let kept = pages.withLock({ $0.version == snapshot.version ? $0.byKey[key] : nil }) { return kept }
        let html = try await render()
        pages.withLock { cache in
            // A new version starts afresh; so does a cache grown past any real help center's
            // pages (keys vary with the Host header where no public address is configured).
            if cache.version != snapshot.version || cache.byKey.count >= Self.keptPages { cache = (snapshot.version, [:]) }
            cache.byKey[key] = html
        }
        return html
    }

    /// An article's HTML and text, rendered once per version of it.
    func render(_ a: HelpArticle) -> Rendered {
        if let kept = rendered.withLock({ $0[a.id] }), kept.updatedAt == a.updatedAt { return kept }
        let html = HelpMarkdown.html(a.body)
        let made = Rendered(updatedAt: a.updatedAt, html: html, text: HelpMarkdown.text(html: html))
        rendered.withLock { $0[a.id] = made }
        return made
    }

    /// Published articles of `locale` matching `query`, best first.
    func search(_ query: String, locale: HelpLocale, limit: Int = 20) async throws -> [HelpArticle] {
        let snapshot = try await current()
        return snapshot.index.search(query, locale: locale.rawValue, limit: limit).filter { $0.confidence >= Self.minimumConfidence }
            .compactMap { Int64($0.entry.id).flatMap { snapshot.articles[$0] } }
    }

    /// Articles like `article` (by its title and phrasings), itself left out.
    func related(to article: HelpArticle, limit: Int = 3) async throws -> [HelpArticle] {
        let query = ([article.title] + article.alternatives + article.synonyms).joined(separator: " ")
        return try await search(query, locale: article.locale, limit: limit + 1).filter { $0.id != article.id }.prefix(limit).map { $0 }
    }
}
