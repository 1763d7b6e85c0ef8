import Foundation

/// How a mail client signs in (RFC 4422 mechanisms as SMTP AUTH and IMAP AUTHENTICATE use
/// them): a password (PLAIN, or LOGIN for servers without it), or an OAuth 2.0 access token
/// (Google's and Microsoft's XOAUTH2, RFC 7628 OAUTHBEARER).
public enum MailSignIn: Sendable, Equatable {
    case none
    case password(user: String, password: String)
    case xoauth2(user: String, accessToken: String)
    case oauthBearer(user: String, accessToken: String)

    /// The mechanism's name and its initial response, base64 (SASL-IR).
    func initialResponse(host: String, port: Int) -> (mechanism: String, response: String)? {
        switch self {
        case .none, .password: return nil
        case .xoauth2(let user, let token):
            return ("XOAUTH2", Data("user=\(user)\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8).base64EncodedString())
        case .oauthBearer(let user, let token):
            let gs2 = "n,a=\(user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")),"
            return ("OAUTHBEARER", Data("\(gs2)\u{1}host=\(host)\u{1}port=\(port)\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8).base64EncodedString())
        }
    }

    /// PLAIN's response: no authorization identity, then the user and the password.
    static func plain(user: String, password: String) -> String {
        Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
    }
}
