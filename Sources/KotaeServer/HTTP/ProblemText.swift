import Foundation

/// Problems in the language the client asks for (`Accept-Language`; the agent UI sends the
/// page's). English is the API's own; a Japanese client gets a Japanese sentence for each
/// code, naming the field or the thing, never an English sentence.
enum ProblemText {
    /// "ja" or "en" from an Accept-Language header; English when it names neither.
    static func language(_ acceptLanguage: String?) -> String {
        WebStrings.language(user: nil, acceptLanguage: acceptLanguage, fallback: "en")
    }

    static func localized(_ problem: APIError, language: String) -> APIError {
        guard language == "ja", !isJapanese(problem.detail) else { return problem }
        var out = APIError(problem.status, code: problem.code, detail: japanese(problem), field: problem.field)
        out.headers = problem.headers
        return out
    }

    static func isJapanese(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    /// Words the API names in its English problems ("conversation not found").
    private static let things: [String: String] = [
        "conversation": "会話", "message": "メッセージ", "outbound message": "送信メッセージ", "contact": "連絡先",
        "source contact": "統合元の連絡先", "target contact": "統合先の連絡先", "inbox": "受信箱", "user": "ユーザー", "team": "チーム",
        "label": "ラベル", "canned response": "定型文", "attachment": "添付ファイル", "token": "API トークン",
        "contact merge": "連絡先の統合", "notification": "通知",
    ]

    /// Details of refusals an agent meets in the UI, said exactly; the rest by their code.
    private static let known: [String: String] = [
        "only a failed delivery can be retried": "再送できるのは送信に失敗した返信だけです。",
        "this merge was already undone": "この統合はすでに元に戻されています。",
        "the contacts changed since this merge; merge or split them by hand": "統合の後に連絡先が変わったため、自動では元に戻せません。手動で統合・分割してください。",
        "snooze until a time in the future": "スヌーズは未来の時刻を指定してください。",
        "use the snooze action with a time to snooze": "スヌーズするには時刻を指定してください。",
        "mentions belong in a private note, not a reply": "メンションはお客様への返信ではなく、メモで使えます。",
        "the current password is wrong": "現在のパスワードが違います。",
        "text is empty": "本文を入力してください。",
    ]

    /// Fields as a Japanese form names them.
    private static let fields: [String: String] = [
        "currentPassword": "現在のパスワード", "newPassword": "新しいパスワード", "password": "パスワード", "email": "メールアドレス",
        "name": "名前", "text": "本文", "reason": "理由", "until": "スヌーズの時刻", "priority": "優先度", "status": "ステータス",
        "assigneeId": "担当者", "teamId": "チーム", "label": "ラベル", "add": "ラベル", "shortcut": "ショートカット", "title": "タイトル",
        "body": "本文", "attachments": "添付ファイル", "replyTo": "返信するコメント", "expiresInDays": "有効日数", "locale": "言語",
        "timeZone": "タイムゾーン",
    ]

    /// The validation sentences the API builds from a field name, in Japanese.
    private static func pattern(_ detail: String, field: String?) -> String? {
        guard let field, detail.hasPrefix(field + " ") else { return nil }
        let name = fields[field] ?? "「\(field)」"
        let rest = detail.dropFirst(field.count + 1)
        let number = rest.split(separator: " ").compactMap { Int($0) }.first
        if rest.hasPrefix("must be at least"), let number { return "\(name)は\(number)文字以上にしてください。" }
        if rest.hasPrefix("must be at most"), let number { return "\(name)は\(number)文字以内にしてください。" }
        if rest == "is empty" { return "\(name)を入力してください。" }
        if rest == "is not an email address" { return "\(name)がメールアドレスの形になっていません。" }
        return nil
    }

    private static func japanese(_ p: APIError) -> String {
        if let exact = known[p.detail] { return exact }
        if let built = pattern(p.detail, field: p.field) { return built }
        let field = p.field.map { fields[$0].map { "「\($0)」" } ?? "「\($0)」" } ?? ""
        switch p.code {
        case "unauthorized": return "サインインするか、API トークンを送ってください。"
        case "forbidden": return "この操作を行う権限がありません。"
        case "not_found":
            let thing = p.detail.hasSuffix(" not found") ? String(p.detail.dropLast(" not found".count)) : ""
            return "\(things[thing] ?? "指定されたもの")が見つかりません。"
        case "reason_required": return "お客様はまだ返信を待っています。先に返信するか、返信せずに閉じる理由を選んでください。"
        case "validation_failed": return field.isEmpty ? "入力された値が正しくありません。" : "\(field)の値が正しくありません。"
        case "conflict": return "いまの状態ではこの操作はできません。画面を更新してから、もう一度お試しください。"
        case "method_not_allowed": return "この URL ではこのメソッドは使えません。"
        case "body_too_large": return "送られたデータが大きすぎます。"
        case "unsupported_media_type": return "内容は JSON（application/json）で送ってください。"
        case "malformed_json", "bad_body", "empty_body", "invalid_utf8": return "送られた内容を JSON として読めませんでした。"
        case "nul_character", "control_character": return "使えない制御文字が含まれています。"
        case "csrf_failed": return "セッションの確認に失敗しました。ページを再読み込みしてください。"
        case "origin_refused": return "このページの外からの接続は受け付けません。"
        case "too_many_attempts", "too_many_requests":
            return "短い時間に多すぎるリクエストがありました。しばらく待ってから、もう一度お試しください。"
        case "platform_rate_limited": return "プラットフォームの送信制限に達しました。しばらく待ってから、もう一度お試しください。"
        case "platform_error": return "プラットフォームがこの操作を受け付けませんでした。"
        case "not_an_api_inbox": return "この受信箱は API チャネルではありません。"
        case "setup_closed": return "初期設定はすでに終わっています。サインインしてください。"
        case "storage_full": return "サーバーの保存領域がいっぱいです。何も保存されていません。空きができてから、もう一度お試しください。"
        case "internal": return "サーバーで問題が起きました。記録されています。"
        default: return "リクエストを処理できませんでした（\(p.code)）。"
        }
    }
}
