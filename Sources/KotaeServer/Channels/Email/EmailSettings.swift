import KotaeChannels
import KotaeCore

/// An email inbox: the addresses it receives for, where mail is read (IMAP) and sent (SMTP),
/// and how it signs replies. Mail may also arrive without IMAP: by the SMTP/LMTP listener,
/// the raw-MIME API route or `kotae import`.
struct EmailSettings: ChannelFieldSet {
    /// The shop's address customers write to; replies are sent from it.
    var address: String?
    /// Other addresses this inbox receives for (aliases, forwarded addresses).
    var aliases: String?
    var fromName: String?
    var signature: String?
    var imapHost: String?
    var imapPort: String?
    /// `tls` (implicit, port 993) or `starttls` (port 143).
    var imapSecurity: String?
    var imapFolder: String?
    /// Where read mail is moved; empty keeps it in place and marks it seen.
    var imapProcessedFolder: String?
    /// How often to look for new mail when the server has no IDLE (or IDLE is switched off).
    var imapPollSeconds: String?
    /// Poll even where the server offers IDLE (a server whose IDLE is unreliable).
    var imapNoIdle: String?
    var smtpHost: String?
    var smtpPort: String?
    /// `tls` (implicit, port 465) or `starttls` (port 587).
    var smtpSecurity: String?
    var username: String?
    /// `password` (PLAIN/LOGIN) or `oauth2` (XOAUTH2/OAUTHBEARER).
    var signIn: String?
    /// For `oauth2`: `microsoft` (default), `google`, or `other` with the endpoints below.
    var oauthProvider: String?
    var oauthTokenURL: String?
    var oauthDeviceURL: String?
    var oauthScope: String?
    /// Rakuten's relay for mail to masked customer addresses (see `RakutenRelay`).
    var rakutenRelayHost: String?
    var rakutenRelayPort: String?
    var rakutenRelaySecurity: String?
    var rakutenRelayUsername: String?
    /// The shop's contact address registered in RMS, which the relay sends from.
    var rakutenFrom: String?
    /// Leave out the customer's previous message, which is quoted below each reply by default.
    var skipQuote: String?
    /// Send replies in ISO-2022-JP for customers whose mailers need it.
    var sendISO2022JP: String?
    /// Answer each new customer mail at once with the measured expected reply time.
    var autoReply: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, aliases, fromName, signature, imapHost, imapPort, imapSecurity, imapFolder, imapProcessedFolder, imapPollSeconds, imapNoIdle
        case smtpHost, smtpPort, smtpSecurity, username, signIn, oauthProvider, oauthTokenURL, oauthDeviceURL, oauthScope
        case rakutenRelayHost, rakutenRelayPort, rakutenRelaySecurity, rakutenRelayUsername, rakutenFrom
        case skipQuote, sendISO2022JP, autoReply
    }

    static func kind(of key: CodingKeys) -> ChannelField.Kind {
        switch key {
        case .skipQuote, .sendISO2022JP, .imapNoIdle, .autoReply: .flag
        default: .text
        }
    }

    /// Every address that counts as this inbox's own (lower case): mail from one of them is
    /// the shop's own and is never taken in as a customer's.
    var ownAddresses: Set<String> {
        Set(([address ?? ""] + (aliases ?? "").settingList).map { $0.lowercased() }.filter { $0.contains("@") })
    }

    func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if let address, !address.isEmpty, !Self.looksLikeAddress(address) {
            found.append(FieldProblem(key: "address", message: "address must be an email address like support@example.jp"))
        }
        for alias in (aliases ?? "").settingList where !Self.looksLikeAddress(alias) {
            found.append(FieldProblem(key: "aliases", message: "'\(alias)' is not an email address"))
        }
        for (key, port) in [("imapPort", imapPort), ("smtpPort", smtpPort), ("rakutenRelayPort", rakutenRelayPort)] {
            if let port, !port.isEmpty, !(Int(port).map { (1...65535).contains($0) } ?? false) {
                found.append(FieldProblem(key: key, message: "\(key) must be a port number (1–65535)"))
            }
        }
        if let poll = imapPollSeconds, !poll.isEmpty, !(Int(poll).map { (5...3600).contains($0) } ?? false) {
            found.append(FieldProblem(key: "imapPollSeconds", message: "imapPollSeconds must be a number of seconds from 5 to 3600"))
        }
        for (key, security) in [("imapSecurity", imapSecurity), ("smtpSecurity", smtpSecurity), ("rakutenRelaySecurity", rakutenRelaySecurity)] {
            if let security, !security.isEmpty, !["tls", "starttls"].contains(security) {
                found.append(FieldProblem(key: key, message: "\(key) must be tls or starttls"))
            }
        }
        if let from = rakutenFrom, !from.isEmpty, !Self.looksLikeAddress(from) {
            found.append(FieldProblem(key: "rakutenFrom", message: "rakutenFrom must be the shop's contact address registered in RMS"))
        }
        if let signIn, !signIn.isEmpty, !["password", "oauth2"].contains(signIn) {
            found.append(FieldProblem(key: "signIn", message: "signIn must be password or oauth2"))
        }
        if let provider = oauthProvider, !provider.isEmpty, MailOAuthProvider(rawValue: provider) == nil {
            found.append(FieldProblem(key: "oauthProvider", message: "oauthProvider must be microsoft, google or other"))
        }
        for (key, url) in [("oauthTokenURL", oauthTokenURL), ("oauthDeviceURL", oauthDeviceURL)] {
            if let url, !url.isEmpty, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                found.append(FieldProblem(key: key, message: "\(key) must be an http(s) URL"))
            }
        }
        return found
    }

    static func looksLikeAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: \.isWhitespace)
    }
}

struct EmailCredentials: ChannelFieldSet {
    var password: String?
    /// OAuth 2.0: the app's client id and secret, the tenant (Microsoft 365) and the stored
    /// refresh token (renewed before the access token expires).
    var oauthClientId: String?
    var oauthClientSecret: String?
    var oauthTenant: String?
    var oauthRefreshToken: String?
    /// The SMTP-AUTH password of Rakuten's relay.
    var rakutenRelayPassword: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case password, oauthClientId, oauthClientSecret, oauthTenant, oauthRefreshToken, rakutenRelayPassword
    }
}

extension EmailSettings {
    /// A reason this inbox cannot sign in to its mail servers.
    struct SignInProblem: Error { let reason: String }

    /// A password sign-in (PLAIN/LOGIN) as `user`, or none when the inbox has no password
    /// (an open relay on a private network). OAuth 2.0 goes through `MailOAuth`.
    func signIn(_ credentials: EmailCredentials, own user: String) throws(SignInProblem) -> MailSignIn {
        guard let password = credentials.password, !password.isEmpty else { return .none }
        return .password(user: user, password: password)
    }

    /// The IMAP server, when one is set: implicit TLS on 993 unless STARTTLS is chosen.
    func imapServer(trusting pem: String?) -> MailServer? {
        guard let host = imapHost, !host.isEmpty else { return nil }
        let security = MailServer.Security(rawValue: imapSecurity ?? "tls") ?? .tls
        return MailServer(host: host, port: Int(imapPort ?? "") ?? (security == .tls ? 993 : 143), security: security, trustedCertificatePEM: pem)
    }

    /// The SMTP server, when one is set: STARTTLS on 587 unless implicit TLS is chosen.
    func smtpServer(trusting pem: String?) -> MailServer? {
        guard let host = smtpHost, !host.isEmpty else { return nil }
        let security = MailServer.Security(rawValue: smtpSecurity ?? "starttls") ?? .starttls
        return MailServer(host: host, port: Int(smtpPort ?? "") ?? (security == .tls ? 465 : 587), security: security, trustedCertificatePEM: pem)
    }
}
