import KotaeCore
import KotaeStore

/// What an admin fills in for each kind of inbox: plain settings, shown and edited as
/// they are, and secret credentials, which are write-only (stored encrypted; the page says
/// only whether one is set).
enum ChannelFields {
    struct Field {
        let key: String
        let label: String
        let ja: String
        let secret: Bool

        func label(_ lang: String) -> String { lang == "ja" ? ja : label }
    }

    /// Listening keywords, for every channel with public posts.
    static let keywords = Field(
        key: "keywords", label: "Listening keywords (comma separated: shop name, products)",
        ja: "リスニングのキーワード（カンマ区切り: ショップ名、商品名）", secret: false)

    /// Messages the page sent from these apps (the page's own inbox, a desk used alongside)
    /// answer the customer; those from any other app are automated and answer no one.
    static let humanApps = Field(
        key: Inbox.humanAppIdsSetting,
        label: "App IDs whose messages count as a person's answer (comma separated; others are automated)",
        ja: "人の返信として数えるアプリ ID（カンマ区切り。それ以外のアプリからの送信は自動応答として扱います）", secret: false)

    static func fields(_ kind: ChannelKind) -> [Field] {
        [.facebook, .instagram, .x].contains(kind) ? channelFields(kind) + [keywords] : channelFields(kind)
    }

    static func channelFields(_ kind: ChannelKind) -> [Field] {
        switch kind {
        case .api:
            [
                Field(key: "webhookUrl", label: "Webhook URL", ja: "Webhook URL", secret: false),
                Field(key: "webhookSecret", label: "Webhook signing secret", ja: "Webhook 署名シークレット", secret: true),
            ]
        case .email:
            [
                Field(key: "address", label: "Address", ja: "メールアドレス", secret: false),
                Field(key: "imapHost", label: "IMAP host", ja: "IMAP ホスト", secret: false),
                Field(key: "imapPort", label: "IMAP port", ja: "IMAP ポート", secret: false),
                Field(key: "smtpHost", label: "SMTP host", ja: "SMTP ホスト", secret: false),
                Field(key: "smtpPort", label: "SMTP port", ja: "SMTP ポート", secret: false),
                Field(key: "username", label: "User name", ja: "ユーザー名", secret: false),
                Field(key: "password", label: "Password", ja: "パスワード", secret: true),
            ]
        case .chat, .form:
            [Field(key: "allowedOrigins", label: "Allowed origins", ja: "許可するオリジン", secret: false)]
        case .facebook:
            [
                Field(key: "pageId", label: "Page ID", ja: "ページ ID", secret: false),
                Field(key: "appSecret", label: "App secret", ja: "App シークレット", secret: true),
                Field(key: "verifyToken", label: "Webhook verify token", ja: "Webhook 確認トークン", secret: true),
                Field(key: "pageAccessToken", label: "Page access token", ja: "ページアクセストークン", secret: true), humanApps,
            ]
        case .instagram:
            [
                Field(key: "accountId", label: "Instagram account ID", ja: "Instagram アカウント ID", secret: false),
                Field(key: "appSecret", label: "App secret", ja: "App シークレット", secret: true),
                Field(key: "verifyToken", label: "Webhook verify token", ja: "Webhook 確認トークン", secret: true),
                Field(key: "accessToken", label: "Access token", ja: "アクセストークン", secret: true), humanApps,
            ]
        case .x:
            [
                Field(key: "userId", label: "Account user ID", ja: "アカウントのユーザー ID", secret: false),
                Field(key: "consumerKey", label: "API key", ja: "API キー", secret: true),
                Field(key: "consumerSecret", label: "API key secret", ja: "API キーシークレット", secret: true),
                Field(key: "accessToken", label: "Access token", ja: "アクセストークン", secret: true),
                Field(key: "accessTokenSecret", label: "Access token secret", ja: "アクセストークンシークレット", secret: true),
            ]
        case .line:
            [
                Field(key: "channelId", label: "Channel ID", ja: "チャネル ID", secret: false),
                Field(key: "channelSecret", label: "Channel secret", ja: "チャネルシークレット", secret: true),
                Field(key: "channelAccessToken", label: "Channel access token", ja: "チャネルアクセストークン", secret: true),
            ]
        }
    }
}
