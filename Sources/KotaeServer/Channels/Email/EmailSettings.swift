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
    var smtpHost: String?
    var smtpPort: String?
    /// `tls` (implicit, port 465) or `starttls` (port 587).
    var smtpSecurity: String?
    var username: String?
    /// `password` (PLAIN/LOGIN) or `oauth2` (XOAUTH2/OAUTHBEARER).
    var signIn: String?
    /// Leave out the customer's previous message, which is quoted below each reply by default.
    var skipQuote: String?
    /// Send replies in ISO-2022-JP for customers whose mailers need it.
    var sendISO2022JP: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, aliases, fromName, signature, imapHost, imapPort, imapSecurity, imapFolder, imapProcessedFolder
        case smtpHost, smtpPort, smtpSecurity, username, signIn, skipQuote, sendISO2022JP
    }

    static func kind(of key: CodingKeys) -> ChannelField.Kind {
        switch key {
        case .skipQuote, .sendISO2022JP: .flag
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
        for (key, port) in [("imapPort", imapPort), ("smtpPort", smtpPort)] {
            if let port, !port.isEmpty, !(Int(port).map { (1...65535).contains($0) } ?? false) {
                found.append(FieldProblem(key: key, message: "\(key) must be a port number (1–65535)"))
            }
        }
        for (key, security) in [("imapSecurity", imapSecurity), ("smtpSecurity", smtpSecurity)] {
            if let security, !security.isEmpty, !["tls", "starttls"].contains(security) {
                found.append(FieldProblem(key: key, message: "\(key) must be tls or starttls"))
            }
        }
        if let signIn, !signIn.isEmpty, !["password", "oauth2"].contains(signIn) {
            found.append(FieldProblem(key: "signIn", message: "signIn must be password or oauth2"))
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case password, oauthClientId, oauthClientSecret, oauthTenant, oauthRefreshToken
    }
}
