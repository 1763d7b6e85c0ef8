import Foundation
import KotaeCore

/// The words of the agent UI in Japanese and English. Templates read them as `{{t.key}}`;
/// the JavaScript gets the same table (`data-strings`) for what it writes itself.
enum WebStrings {
    static let languages = ["ja", "en"]

    /// The user's language, else the browser's first supported one, else Japanese.
    static func language(user: String?, acceptLanguage: String?) -> String {
        if let user, languages.contains(user) { return user }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if let lang = languages.first(where: { tag == $0 || tag.hasPrefix($0 + "-") }) { return lang }
        }
        return "ja"
    }

    static func table(_ language: String) -> [String: String] {
        language == "en" ? english : japanese
    }

    /// The table as JSON for the page's `data-strings`, encoded once per language.
    static func json(_ language: String) -> String {
        language == "en" ? englishJSON : japaneseJSON
    }

    private static let japaneseJSON = encode(japanese)
    private static let englishJSON = encode(english)

    private static func encode(_ table: [String: String]) -> String {
        (try? String(decoding: JSONEncoder().encode(table), as: UTF8.self)) ?? "{}"
    }

    private static let japanese: [String: String] = [
        "appName": "Kotae", "signIn": "サインイン", "signOut": "サインアウト", "email": "メールアドレス",
        "password": "パスワード", "signInFailed": "メールアドレスかパスワードが違います",
        "inbox": "受信箱", "search": "検索", "settings": "設定", "shortcuts": "ショートカット",
        "mine": "自分の担当", "unassigned": "未割り当て", "allOpen": "すべての未対応", "dueSoon": "期限間近",
        "breached": "期限超過", "unanswered": "未返信", "resolved": "解決済み", "channels": "チャネル", "labels": "ラベル",
        "noConversations": "この表示に会話はありません", "waiting": "待ち時間", "assignee": "担当",
        "nobody": "未割り当て", "unread": "未読", "onTrack": "期限内", "slaDueSoon": "期限間近", "slaBreached": "期限超過",
        "reply": "返信", "note": "メモ", "send": "送信", "sendHint": "Ctrl+Enter で送信",
        "replyPlaceholder": "お客様への返信… ( / で定型文)", "notePlaceholder": "チーム内のメモ（お客様には見えません）",
        "resolve": "解決", "pending": "保留", "reopen": "再開", "noReplyNeeded": "対応不要", "reason": "理由",
        "assignToMe": "自分が担当", "priority": "優先度", "customer": "お客様", "identities": "チャネルのID",
        "earlierConversations": "過去の会話", "orders": "注文", "ordersLater": "注文の連携はまだ設定されていません",
        "queued": "送信待ち", "sent": "送信済み", "delivered": "配信済み", "failed": "送信失敗", "retry": "再送",
        "received": "受信", "publicComment": "公開コメント", "privateMessage": "非公開メッセージ", "internalNote": "メモ",
        "showImages": "画像を表示", "imagesBlocked": "外部画像はブロックされています",
        "language": "言語", "timeZone": "タイムゾーン", "save": "保存", "saved": "保存しました",
        "status_open": "未対応", "status_pending": "保留中", "status_snoozed": "スヌーズ中", "status_resolved": "解決済み",
        "reason_spam": "スパム", "reason_duplicate": "重複", "reason_no_answer_needed": "返信の必要なし",
        "reason_answered_elsewhere": "他で対応済み", "reason_other": "その他", "sla_paused": "保留中（停止）", "sla_none": "—",
        "live": "リアルタイム更新中", "offline": "接続が切れました。再接続しています…",
        "newMessage": "新しいメッセージ", "isViewing": "{names} さんも見ています", "isReplying": "{names} さんが返信を書いています",
        "doubleReplyWarning": "このあいだに同僚が返信しました。それでも送信しますか？",
        "undo": "取り消し", "sending": "送信中…", "back": "戻る",
        "k_move": "次 / 前の会話", "k_open": "会話を開く", "k_reply": "返信", "k_note": "メモ", "k_resolve": "解決",
        "k_assign": "自分が担当", "k_search": "会話を検索", "searchPlaceholder": "会話を検索（メッセージの本文）", "k_help": "ショートカット一覧", "close": "閉じる",
    ]

    private static let english: [String: String] = [
        "appName": "Kotae", "signIn": "Sign in", "signOut": "Sign out", "email": "Email",
        "password": "Password", "signInFailed": "Wrong email or password",
        "inbox": "Inbox", "search": "Search", "settings": "Settings", "shortcuts": "Shortcuts",
        "mine": "Mine", "unassigned": "Unassigned", "allOpen": "All open", "dueSoon": "Due soon",
        "breached": "Breached", "unanswered": "Unanswered", "resolved": "Resolved", "channels": "Channels", "labels": "Labels",
        "noConversations": "No conversations in this view", "waiting": "Waiting", "assignee": "Assignee",
        "nobody": "Unassigned", "unread": "Unread", "onTrack": "On track", "slaDueSoon": "Due soon", "slaBreached": "Breached",
        "reply": "Reply", "note": "Note", "send": "Send", "sendHint": "Ctrl+Enter to send",
        "replyPlaceholder": "Reply to the customer… (/ for canned responses)", "notePlaceholder": "Private note for the team (the customer never sees it)",
        "resolve": "Resolve", "pending": "Pending", "reopen": "Reopen", "noReplyNeeded": "No reply needed", "reason": "Reason",
        "assignToMe": "Assign to me", "priority": "Priority", "customer": "Customer", "identities": "Channel identities",
        "earlierConversations": "Earlier conversations", "orders": "Orders", "ordersLater": "No shop is connected yet",
        "queued": "Queued", "sent": "Sent", "delivered": "Delivered", "failed": "Failed", "retry": "Retry",
        "received": "Received", "publicComment": "Public comment", "privateMessage": "Private message", "internalNote": "Note",
        "showImages": "Show images", "imagesBlocked": "Remote images are blocked",
        "language": "Language", "timeZone": "Time zone", "save": "Save", "saved": "Saved",
        "status_open": "Open", "status_pending": "Pending", "status_snoozed": "Snoozed", "status_resolved": "Resolved",
        "reason_spam": "Spam", "reason_duplicate": "Duplicate", "reason_no_answer_needed": "No answer needed",
        "reason_answered_elsewhere": "Answered elsewhere", "reason_other": "Other", "sla_paused": "Paused (pending)", "sla_none": "—",
        "live": "Live", "offline": "Connection lost, reconnecting…",
        "newMessage": "New message", "isViewing": "{names} is also viewing", "isReplying": "{names} is replying",
        "doubleReplyWarning": "A colleague replied while you were writing. Send anyway?",
        "undo": "Undo", "sending": "Sending…", "back": "Back",
        "k_move": "Next / previous conversation", "k_open": "Open conversation", "k_reply": "Reply", "k_note": "Note",
        "k_resolve": "Resolve", "k_assign": "Assign to me", "k_search": "Search conversations", "searchPlaceholder": "Search conversations (message text)", "k_help": "All shortcuts", "close": "Close",
    ]
}
