import KotaeChannels

/// Rakuten Ichiba's masked addresses (あんしんメルアド, `…@fw.rakuten.ne.jp` and
/// `…@pc.fw.rakuten.ne.jp`): mail to them is accepted only through Rakuten's SMTP relay,
/// signed in with the shop's SMTP-AUTH ID and password (R-Login → あんしんメルアドサービス →
/// メールサーバ設定情報), from the shop's registered contact address (店舗連絡先), and only
/// as an answer to the customer's own mail.
struct RakutenRelay {
    let host: String
    let port: Int
    let security: MailServer.Security
    let username: String
    let password: String
    /// The shop's contact address registered in RMS: the relay sends only from it.
    let from: String

    static let maskedDomains = ["fw.rakuten.ne.jp", "pc.fw.rakuten.ne.jp"]

    static func isMasked(_ address: String) -> Bool {
        guard let domain = address.split(separator: "@").last?.lowercased() else { return false }
        return maskedDomains.contains(domain)
    }

    static let newThreadRefusal =
        "a Rakuten masked address (あんしんメルアド) accepts mail only as an answer to the customer's own mail: reply in their thread, or write through R-Messe"

    init(settings: EmailSettings, credentials: EmailCredentials) throws(EmailSettings.SignInProblem) {
        guard let host = settings.rakutenRelayHost, !host.isEmpty, let username = settings.rakutenRelayUsername, !username.isEmpty,
            let password = credentials.rakutenRelayPassword, !password.isEmpty, let from = settings.rakutenFrom, !from.isEmpty
        else {
            throw EmailSettings.SignInProblem(
                reason:
                    "mail to a Rakuten masked address goes through Rakuten's relay: set its host, SMTP-AUTH ID and password (R-Login → あんしんメルアドサービス → メールサーバ設定情報) and the shop's registered contact address in the inbox settings"
            )
        }
        self.host = host
        security = MailServer.Security(rawValue: settings.rakutenRelaySecurity ?? "starttls") ?? .starttls
        port = Int(settings.rakutenRelayPort ?? "") ?? (security == .tls ? 465 : 587)
        self.username = username
        self.password = password
        self.from = from
    }

    func server(trusting pem: String?) -> MailServer { MailServer(host: host, port: port, security: security, trustedCertificatePEM: pem) }
    var signIn: MailSignIn { .password(user: username, password: password) }
}
