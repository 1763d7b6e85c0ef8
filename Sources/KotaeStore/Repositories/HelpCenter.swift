import Foundation
import KotaeCore
import SQLKit

/// The help center's categories, articles and votes.
public struct HelpCenter: Sendable {
    let db: KotaeDatabase

    static let articleColumns =
        "id, locale, translation_key, category_id, title, body, alternatives, synonyms, status, position, views, helpful, not_helpful, created_at, updated_at, published_at"
    static let categoryColumns = "id, locale, translation_key, name, description, position, created_at"

    static func article(_ r: any SQLRow) throws -> HelpArticle {
        HelpArticle(
            id: try r.int("id"), locale: try r.enumValue("locale", HelpLocale.self), translationKey: try r.string("translation_key"),
            categoryId: try r.intOpt("category_id"), title: try r.string("title"), body: try r.string("body"),
            alternatives: try JSON.decode([String].self, try r.string("alternatives")),
            synonyms: try JSON.decode([String].self, try r.string("synonyms")), status: try r.enumValue("status", HelpArticle.Status.self),
            position: Int(try r.int("position")), views: Int(try r.int("views")), helpful: Int(try r.int("helpful")),
            notHelpful: Int(try r.int("not_helpful")), createdAt: try r.date("created_at"), updatedAt: try r.date("updated_at"),
            publishedAt: try r.dateOpt("published_at"))
    }

    static func category(_ r: any SQLRow) throws -> HelpCategory {
        HelpCategory(
            id: try r.int("id"), locale: try r.enumValue("locale", HelpLocale.self), translationKey: try r.string("translation_key"),
            name: try r.string("name"), description: try r.string("description"), position: Int(try r.int("position")),
            createdAt: try r.date("created_at"))
    }

    // MARK: Categories

    public func categories(locale: HelpLocale? = nil) async throws -> [HelpCategory] {
        try await db.read { db in
            if let locale {
                return try await db.raw(
                    "SELECT \(unsafeRaw: Self.categoryColumns) FROM help_categories WHERE locale = \(bind: locale.rawValue) ORDER BY position, id"
                ).all().map(Self.category)
            }
            return try await db.raw("SELECT \(unsafeRaw: Self.categoryColumns) FROM help_categories ORDER BY locale, position, id").all()
                .map(Self.category)
        }
    }

    public func category(id: ID) async throws -> HelpCategory? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.categoryColumns) FROM help_categories WHERE id = \(bind: id)").first().map(Self.category)
        }
    }

    public func create(_ c: HelpCategory) async throws -> HelpCategory {
        try await db.write { db in
            try await Self.bump(db)
            return try Self.category(
                try await db.raw(
                    """
                    INSERT INTO help_categories (locale, translation_key, name, description, position, created_at)
                    VALUES (\(bind: c.locale.rawValue), \(bind: c.translationKey), \(bind: c.name), \(bind: c.description), \(bind: c.position),
                            \(bind: c.createdAt.epoch))
                    RETURNING \(unsafeRaw: Self.categoryColumns)
                    """
                ).first()!)
        }
    }

    public func update(_ c: HelpCategory) async throws -> HelpCategory? {
        try await db.write { db in
            try await Self.bump(db)
            return try await db.raw(
                """
                UPDATE help_categories SET locale = \(bind: c.locale.rawValue), translation_key = \(bind: c.translationKey), name = \(bind: c.name),
                  description = \(bind: c.description), position = \(bind: c.position)
                WHERE id = \(bind: c.id) RETURNING \(unsafeRaw: Self.categoryColumns)
                """
            ).first().map(Self.category)
        }
    }

    /// Its articles stay, without a category.
    public func deleteCategory(id: ID) async throws -> Bool {
        try await db.write { db in
            try await Self.bump(db)
            try await db.raw("UPDATE help_articles SET category_id = NULL WHERE category_id = \(bind: id)").run()
            return try await db.raw("DELETE FROM help_categories WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    // MARK: Articles

    /// Articles of one language (all when nil), published only unless `drafts`.
    public func articles(locale: HelpLocale? = nil, categoryId: ID? = nil, drafts: Bool = false) async throws -> [HelpArticle] {
        try await db.read { db in
            var sql = SQLQueryString("SELECT \(unsafeRaw: Self.articleColumns) FROM help_articles WHERE 1 = 1")
            if let locale { sql = sql + " AND locale = \(bind: locale.rawValue)" }
            if let categoryId { sql = sql + " AND category_id = \(bind: categoryId)" }
            if !drafts { sql = sql + " AND status = 'published'" }
            return try await db.raw(sql + " ORDER BY position, id").all().map(Self.article)
        }
    }

    public func article(id: ID) async throws -> HelpArticle? {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.articleColumns) FROM help_articles WHERE id = \(bind: id)").first().map(Self.article)
        }
    }

    /// The article and its translations.
    public func translations(of key: String) async throws -> [HelpArticle] {
        try await db.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.articleColumns) FROM help_articles WHERE translation_key = \(bind: key) ORDER BY locale")
                .all().map(Self.article)
        }
    }

    public func create(_ a: HelpArticle, now: Date = Date()) async throws -> HelpArticle {
        try await db.write { db in
            try await Self.bump(db)
            return try Self.article(
                try await db.raw(
                    """
                    INSERT INTO help_articles (locale, translation_key, category_id, title, body, alternatives, synonyms, status, position,
                      created_at, updated_at, published_at)
                    VALUES (\(bind: a.locale.rawValue), \(bind: a.translationKey), \(bind: a.categoryId), \(bind: a.title), \(bind: a.body),
                            \(bind: JSON.string(a.alternatives)), \(bind: JSON.string(a.synonyms)), \(bind: a.status.rawValue), \(bind: a.position),
                            \(bind: now.epoch), \(bind: now.epoch), \(bind: a.status == .published ? now.epoch : nil))
                    RETURNING \(unsafeRaw: Self.articleColumns)
                    """
                ).first()!)
        }
    }

    /// Saves an edit; the first publication is dated, a later one keeps that date.
    public func update(_ a: HelpArticle, now: Date = Date()) async throws -> HelpArticle? {
        try await db.write { db in
            try await Self.bump(db)
            return try await db.raw(
                """
                UPDATE help_articles SET locale = \(bind: a.locale.rawValue), translation_key = \(bind: a.translationKey),
                  category_id = \(bind: a.categoryId), title = \(bind: a.title), body = \(bind: a.body),
                  alternatives = \(bind: JSON.string(a.alternatives)), synonyms = \(bind: JSON.string(a.synonyms)),
                  status = \(bind: a.status.rawValue), position = \(bind: a.position), updated_at = \(bind: now.epoch),
                  published_at = COALESCE(published_at, \(bind: a.status == .published ? now.epoch : nil))
                WHERE id = \(bind: a.id) RETURNING \(unsafeRaw: Self.articleColumns)
                """
            ).first().map(Self.article)
        }
    }

    public func deleteArticle(id: ID) async throws -> Bool {
        try await db.write { db in
            try await Self.bump(db)
            return try await db.raw("DELETE FROM help_articles WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    /// Changes with every write to an article or a category (not with votes or views): what
    /// readers see is rebuilt when it does.
    public func version() async throws -> String {
        try await db.read { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.versionKey)").first()?.string("value") ?? ""
        }
    }

    static let versionKey = "help_version"

    /// The help center's presentation (a JSON setting), with the version bumped in one transaction.
    public func saveSettings(key: String, _ value: String) async throws {
        try await db.write { db in
            try await Self.bump(db)
            try await db.raw(
                "INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ).run()
        }
    }

    /// Inside each write's transaction.
    static func bump(_ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO settings (key, value) VALUES (\(bind: versionKey), \(bind: UUID().uuidString))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """
        ).run()
    }

    // MARK: Readers

    /// Views counted since the last write, by article, in one transaction.
    public func recordViews(_ counts: [ID: Int]) async throws {
        try await db.write { db in
            for (id, n) in counts.sorted(by: { $0.key < $1.key }) {
                try await db.raw("UPDATE help_articles SET views = views + \(bind: n) WHERE id = \(bind: id)").run()
            }
        }
    }

    /// One reader's "was this helpful?", with what they wrote; counted on the article.
    public func vote(articleId: ID, helpful: Bool, comment: String?, now: Date = Date()) async throws -> Bool {
        try await db.write { db in
            let column = helpful ? "helpful" : "not_helpful"
            guard
                try await db.raw(
                    "UPDATE help_articles SET \(unsafeRaw: column) = \(unsafeRaw: column) + 1 WHERE id = \(bind: articleId) AND status = 'published' RETURNING id"
                ).first() != nil
            else { return false }
            try await db.raw(
                """
                INSERT INTO help_votes (article_id, helpful, comment, created_at)
                VALUES (\(bind: articleId), \(bind: helpful ? 1 : 0), \(bind: comment), \(bind: now.epoch))
                """
            ).run()
            return true
        }
    }

    public struct Vote: Codable, Sendable, Equatable {
        public let helpful: Bool
        public let comment: String?
        public let createdAt: Date
    }

    /// The newest votes of an article, for the admin.
    public func votes(articleId: ID, limit: Int = 50) async throws -> [Vote] {
        try await db.read { db in
            try await db.raw(
                "SELECT helpful, comment, created_at FROM help_votes WHERE article_id = \(bind: articleId) ORDER BY id DESC LIMIT \(bind: limit)"
            ).all().map { Vote(helpful: try $0.bool("helpful"), comment: try $0.stringOpt("comment"), createdAt: try $0.date("created_at")) }
        }
    }
}
