/// The help center's own words in Japanese and English (its pages are the shop's, not the agent UI's).
enum HelpStrings {
    static func table(_ locale: String) -> [String: String] { locale == "en" ? english : japanese }

    static let japanese: [String: String] = [
        "lang_code": "ja", "lang_name": "日本語", "help_center": "ヘルプセンター", "search": "検索", "search_placeholder": "キーワードで検索（例: 返品、送料）",
        "search_results": "「{q}」の検索結果", "search_none": "「{q}」に一致する記事は見つかりませんでした。お問い合わせください。",
        "categories": "カテゴリー", "faq": "よくある質問", "updated": "更新日", "related": "関連する記事",
        "helpful_question": "この記事は役に立ちましたか？", "helpful_yes": "はい", "helpful_no": "いいえ", "helpful_comment": "ご意見（任意）",
        "helpful_send": "送信", "helpful_thanks": "ご意見ありがとうございました。", "contact": "お問い合わせ", "return_policy": "返品・交換について",
        "home": "ホーム", "see_all": "すべて見る（{n}件）", "other_articles": "その他の記事", "not_found": "ページが見つかりません",
    ]

    static let english: [String: String] = [
        "lang_code": "en", "lang_name": "English", "help_center": "Help center", "search": "Search",
        "search_placeholder": "Search (e.g. returns, shipping)",
        "search_results": "Results for “{q}”", "search_none": "No article matches “{q}”. Please contact us.",
        "categories": "Categories", "faq": "Frequently asked questions", "updated": "Updated", "related": "Related articles",
        "helpful_question": "Was this article helpful?", "helpful_yes": "Yes", "helpful_no": "No", "helpful_comment": "Your comment (optional)",
        "helpful_send": "Send", "helpful_thanks": "Thank you for your feedback.", "contact": "Contact us", "return_policy": "Returns and exchanges",
        "home": "Home", "see_all": "See all {n}", "other_articles": "Other articles", "not_found": "Page not found",
    ]
}
