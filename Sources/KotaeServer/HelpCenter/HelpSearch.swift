import Foundation
import KotaeCore
import KotaeStore

/// The help center's search and the bot's index: the published articles in a `FAQIndex`,
/// rebuilt when an article is written (the store's version of them changes), identical on
/// SQLite and PostgreSQL because it is built from the rows, not by either database.
final class HelpSearch: Sendable {
    let store: KotaeStore
    private let cached = Locked<(version: String, index: FAQIndex, articles: [ID: HelpArticle])?>(nil)

    init(store: KotaeStore) {
        self.store = store
    }

    /// The index of published articles as they are now, with the articles by id.
    func current() async throws -> (index: FAQIndex, articles: [ID: HelpArticle]) {
        let version = try await store.help.version()
        if let kept = cached.withLock({ $0 }), kept.version == version { return (kept.index, kept.articles) }
        let published = try await store.help.articles()
        let entries = published.map {
            FAQEntry(
                id: String($0.id), locale: $0.locale.rawValue, question: $0.title, answer: HelpMarkdown.text($0.body),
                alternatives: $0.alternatives, synonyms: $0.synonyms, translationKey: $0.translationKey)
        }
        let made = (version: version, index: FAQIndex(entries), articles: Dictionary(uniqueKeysWithValues: published.map { ($0.id, $0) }))
        cached.withLock { $0 = made }
        return (made.index, made.articles)
    }

    /// Below this confidence a match is a stray character or a glossary word, not an answer.
    static let minimumConfidence = 0.25

    /// Published articles of `locale` matching `query`, best first.
    func search(_ query: String, locale: HelpLocale, limit: Int = 20) async throws -> [HelpArticle] {
        let (index, articles) = try await current()
        return index.search(query, locale: locale.rawValue, limit: limit).filter { $0.confidence >= Self.minimumConfidence }
            .compactMap { Int64($0.entry.id).flatMap { articles[$0] } }
    }

    /// Articles like `article` (by its title and phrasings), itself left out.
    func related(to article: HelpArticle, limit: Int = 3) async throws -> [HelpArticle] {
        let query = ([article.title] + article.alternatives + article.synonyms).joined(separator: " ")
        return try await search(query, locale: article.locale, limit: limit + 1).filter { $0.id != article.id }.prefix(limit).map { $0 }
    }
}
