extension Migration {
    /// 31: the public help center: categories and articles per language (translations share a
    /// key), drafts and published articles, views and "was this helpful?" votes.
    static let v31AHelpCenterOfArticlesInCategories = Migration(
        version: 31, name: "a help center of articles in categories",
        statements: [
            """
            CREATE TABLE help_categories (
              id {id}, locale TEXT NOT NULL, translation_key TEXT NOT NULL, name TEXT NOT NULL,
              description TEXT NOT NULL DEFAULT '', position {int} NOT NULL DEFAULT 0, created_at {real} NOT NULL)
            """,
            "CREATE INDEX help_categories_locale ON help_categories (locale, position)",
            """
            CREATE TABLE help_articles (
              id {id}, locale TEXT NOT NULL, translation_key TEXT NOT NULL,
              category_id {int} REFERENCES help_categories(id) ON DELETE SET NULL,
              title TEXT NOT NULL, body TEXT NOT NULL, alternatives TEXT NOT NULL, synonyms TEXT NOT NULL,
              status TEXT NOT NULL, position {int} NOT NULL DEFAULT 0,
              views {int} NOT NULL DEFAULT 0, helpful {int} NOT NULL DEFAULT 0, not_helpful {int} NOT NULL DEFAULT 0,
              created_at {real} NOT NULL, updated_at {real} NOT NULL, published_at {real})
            """,
            "CREATE INDEX help_articles_listing ON help_articles (locale, status, category_id, position)",
            "CREATE INDEX help_articles_translations ON help_articles (translation_key)",
            """
            CREATE TABLE help_votes (
              id {id}, article_id {int} NOT NULL REFERENCES help_articles(id) ON DELETE CASCADE,
              helpful {int} NOT NULL, comment TEXT, created_at {real} NOT NULL)
            """,
            "CREATE INDEX help_votes_article ON help_votes (article_id, id)",
        ])
}
