import KotaeChannels

/// The OAuth 2.0 providers a mail inbox signs in with. Microsoft 365 offers the device code
/// and, for an app registered with mailbox permissions, client credentials; Google allows
/// its mail scope to neither (its device flow excludes Gmail), so a Google inbox uses a
/// refresh token obtained elsewhere, or an app password. `other` takes its endpoints from
/// the inbox settings (a self-hosted provider).
enum MailOAuthProvider: String, CaseIterable {
    case microsoft, google, other

    func endpoints(settings: EmailSettings, tenant: String?) -> OAuthEndpoints? {
        switch self {
        case .microsoft:
            let t = tenant.flatMap { $0.isEmpty ? nil : $0 } ?? "organizations"
            return OAuthEndpoints(
                tokenURL: "https://login.microsoftonline.com/\(t)/oauth2/v2.0/token",
                deviceURL: "https://login.microsoftonline.com/\(t)/oauth2/v2.0/devicecode",
                scope: "offline_access https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send",
                appScope: "https://outlook.office365.com/.default")
        case .google:
            return OAuthEndpoints(tokenURL: "https://oauth2.googleapis.com/token", deviceURL: nil, scope: "https://mail.google.com/")
        case .other:
            guard let token = settings.oauthTokenURL, !token.isEmpty else { return nil }
            return OAuthEndpoints(
                tokenURL: token, deviceURL: settings.oauthDeviceURL.flatMap { $0.isEmpty ? nil : $0 }, scope: settings.oauthScope ?? "")
        }
    }
}
