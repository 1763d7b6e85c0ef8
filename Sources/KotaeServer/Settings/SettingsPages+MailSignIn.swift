import Foundation
import KotaeCore

extension SettingsPages {
    /// The email inbox's sign-in card: what the providers require, a device-code sign-in
    /// for an OAuth inbox and where it stands, and a warning for a Microsoft 365 mailbox
    /// still on a password.
    func mailSignIn(_ inbox: Inbox, t: [String: String], timeZone: String) -> [String: Any] {
        var card: [String: Any] = ["inboxId": inbox.id]
        let hosts = [inbox.settings["imapHost"], inbox.settings["smtpHost"]].compactMap { $0?.lowercased() }
        let microsoft = hosts.contains { $0.hasSuffix("office365.com") || $0.hasSuffix("outlook.com") }
        guard inbox.settings["signIn"] == "oauth2" else {
            card["passwordOnMicrosoft"] = microsoft
            return card
        }
        card["oauth"] = true
        guard let device = app.mailOAuth.deviceSignIn(inboxId: inbox.id) else { return card }
        switch device.state {
        case .pending:
            let formatter = DateFormatter()
            formatter.dateFormat = "HH:mm"
            formatter.timeZone = TimeZone(identifier: timeZone) ?? .current
            let uri = device.verificationURI ?? ""
            card["pending"] = [
                "text": (t["mailSignInPending"] ?? "").replacingOccurrences(of: "{uri}", with: uri)
                    .replacingOccurrences(of: "{code}", with: device.userCode ?? "")
                    .replacingOccurrences(of: "{until}", with: device.expiresAt.map(formatter.string) ?? ""),
                // Only a web address becomes a link (the provider's answer is not trusted further).
                "link": uri.hasPrefix("https://") || uri.hasPrefix("http://") ? uri : "", "code": device.userCode ?? "",
            ]
        case .signedIn:
            card["signedIn"] = true
        case .failed:
            card["failed"] = device.reason ?? ""
        }
        return card
    }
}
