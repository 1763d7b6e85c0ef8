import Foundation

/// An article of the public help center, written in Markdown, in one language; translations
/// of one article share `translationKey`. Only published articles are public, searched and
/// used by the bot.
public struct HelpArticle: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case draft, published
    }

    public var id: ID
    public var locale: HelpLocale
    public var translationKey: String
    public var categoryId: ID?
    /// The question the article answers, as customers would ask it.
    public var title: String
    /// Markdown.
    public var body: String
    /// Other ways customers ask the same question (searched like the title; the bot uses them).
    public var alternatives: [String]
    /// The shop's words for the subject, searched too.
    public var synonyms: [String]
    public var status: Status
    public var position: Int
    public var views: Int
    public var helpful: Int
    public var notHelpful: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?

    public init(
        id: ID = 0, locale: HelpLocale, translationKey: String = UUID().uuidString.lowercased(), categoryId: ID? = nil, title: String,
        body: String, alternatives: [String] = [], synonyms: [String] = [], status: Status = .draft, position: Int = 0, views: Int = 0,
        helpful: Int = 0, notHelpful: Int = 0, createdAt: Date = Date(), updatedAt: Date = Date(), publishedAt: Date? = nil
    ) {
        self.id = id
        self.locale = locale
        self.translationKey = translationKey
        self.categoryId = categoryId
        self.title = title
        self.body = body
        self.alternatives = alternatives
        self.synonyms = synonyms
        self.status = status
        self.position = position
        self.views = views
        self.helpful = helpful
        self.notHelpful = notHelpful
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
    }
}

/// A group of articles on one page (配送, 返品・交換…), in one language.
public struct HelpCategory: Codable, Sendable, Equatable {
    public var id: ID
    public var locale: HelpLocale
    public var translationKey: String
    public var name: String
    public var description: String
    public var position: Int
    public var createdAt: Date

    public init(
        id: ID = 0, locale: HelpLocale, translationKey: String = UUID().uuidString.lowercased(), name: String, description: String = "",
        position: Int = 0, createdAt: Date = Date()
    ) {
        self.id = id
        self.locale = locale
        self.translationKey = translationKey
        self.name = name
        self.description = description
        self.position = position
        self.createdAt = createdAt
    }
}

/// The help center's languages.
public enum HelpLocale: String, Codable, Sendable, CaseIterable {
    case ja, en
}
