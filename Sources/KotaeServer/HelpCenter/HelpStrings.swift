/// The help center's own words in Japanese and English (its pages are the shop's, not the agent UI's).
enum HelpStrings {
    static func table(_ locale: String) -> [String: String] { locale == "en" ? english : japanese }

    static let japanese: [String: String] = [
        "lang_code": "ja", "lang_name": "日本語", "help_center": "ヘルプセンター", "search": "検索", "search_placeholder": "キーワードで検索（例: 返品、送料）",
        "search_results": "「{q}」の検索結果", "search_none": "「{q}」に一致する記事は見つかりませんでした。お問い合わせください。",
        "categories": "カテゴリー", "faq": "よくある質問", "updated": "更新日", "related": "関連する記事",
        "helpful_question": "この記事は役に立ちましたか？", "helpful_yes": "はい", "helpful_no": "いいえ", "helpful_comment": "ご意見（任意）",
        "helpful_send": "送信", "helpful_thanks": "ご意見ありがとうございました。", "contact": "お問い合わせ", "return_policy": "返品・交換について",
        "home": "ホーム", "bot_solved": "（自動応答）これで解決しましたか？「はい」か「いいえ」でお知らせください。",
        "bot_suggest": "（自動応答）こちらの記事が参考になるかもしれません。", "bot_person": "担当者とお話しになりたい場合は「人と話したい」とお送りください。", "contact_channels": "お問い合わせ窓口",
        "business_hours": "営業時間", "support_address": "サポート窓口",
        "phone": "電話", "hours_always": "常時受付", "channel_email": "メール", "channel_chat": "チャット", "channel_line": "LINE",
        "channel_facebook": "Facebook", "channel_instagram": "Instagram", "channel_x": "X",
        "reply_measured": "直近28日間、最初のお返事の10件中9件は{time}以内でした。",
        "reply_measured_business": "直近28日間、最初のお返事の10件中9件は営業時間内で{time}以内でした。",
        "reply_unmeasured": "お返事までの時間は、まだ十分なお問い合わせがなく測れていません。",
        "reply_after": "ただいま営業時間外です。次のお返事は {time} 以降になります。",
        "contact_form": "お問い合わせフォーム", "contact_name": "お名前", "contact_email": "メールアドレス（お返事はこちらに届きます）",
        "contact_message": "お問い合わせ内容", "contact_send": "送信する", "contact_thanks": "お問い合わせを受け付けました。メールでお返事します。",
        "contact_again": "恐れ入りますが、もう一度送信してください。", "contact_bad_email": "メールアドレスをご確認ください。",
        "contact_bad_message": "お問い合わせ内容をご記入ください（5,000文字まで）。", "contact_too_many": "送信が続いたため、しばらくしてからお試しください。",
        "contact_no_form": "フォームは現在ご利用いただけません。メールでお問い合わせください。", "contact_subject": "お問い合わせフォームから", "see_all": "すべて見る（{n}件）",
        "other_articles": "その他の記事", "not_found": "ページが見つかりません",
    ]

    static let english: [String: String] = [
        "lang_code": "en", "lang_name": "English", "help_center": "Help center", "search": "Search",
        "search_placeholder": "Search (e.g. returns, shipping)",
        "search_results": "Results for “{q}”", "search_none": "No article matches “{q}”. Please contact us.",
        "categories": "Categories", "faq": "Frequently asked questions", "updated": "Updated", "related": "Related articles",
        "helpful_question": "Was this article helpful?", "helpful_yes": "Yes", "helpful_no": "No", "helpful_comment": "Your comment (optional)",
        "helpful_send": "Send", "helpful_thanks": "Thank you for your feedback.", "contact": "Contact us", "return_policy": "Returns and exchanges",
        "home": "Home", "bot_solved": "(Automatic answer) Did this solve it? Please reply yes or no.",
        "bot_suggest": "(Automatic answer) These articles may help:", "bot_person": "To talk to a person, reply \"talk to a person\".",
        "contact_channels": "How to reach us", "business_hours": "Business hours", "support_address": "Support",
        "phone": "Phone", "hours_always": "Always open", "channel_email": "Email", "channel_chat": "Chat", "channel_line": "LINE",
        "channel_facebook": "Facebook", "channel_instagram": "Instagram", "channel_x": "X",
        "reply_measured": "Over the last 28 days, 9 in 10 first replies came within {time}.",
        "reply_measured_business": "Over the last 28 days, 9 in 10 first replies came within {time} of business hours.",
        "reply_unmeasured": "Too few conversations yet to measure how soon we reply.",
        "reply_after": "We are closed now: the next reply comes after {time}.",
        "contact_form": "Contact form", "contact_name": "Your name", "contact_email": "Your email (we reply to it)",
        "contact_message": "Your message", "contact_send": "Send", "contact_thanks": "Thank you: we received your message and will reply by email.",
        "contact_again": "Sorry, please send the form again.", "contact_bad_email": "Please check your email address.",
        "contact_bad_message": "Please write your message (up to 5,000 characters).",
        "contact_too_many": "Too many messages: please try again later.",
        "contact_no_form": "The form is not available: please write to us by email.", "contact_subject": "From the contact form",
        "see_all": "See all {n}", "other_articles": "Other articles", "not_found": "Page not found",
    ]
}
