import Foundation
import KotaeCore

/// A chat widget inbox: where the widget may run, who may chat, the bot, and where replies a
/// visitor missed in the widget go by email.
struct ChatSettings: ChannelFieldSet {
    /// The shop's sites, one origin per line or comma (`https://shop.example`); empty: any site.
    var allowedOrigins: String?
    /// The FAQ bot answers first (`FAQBotRule`).
    var faqBot: String?
    /// Only visitors the shop's site signed in may chat (no anonymous visitors).
    var identityRequired: String?
    /// The email inbox that sends a reply the visitor did not see in the widget.
    var emailInboxId: String?
    /// How long a reply waits unseen before it is emailed (minutes; 5 when empty).
    var emailAfterMinutes: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case allowedOrigins, faqBot, identityRequired, emailInboxId, emailAfterMinutes }

    static func kind(of key: CodingKeys) -> ChannelField.Kind { key == .faqBot || key == .identityRequired ? .flag : .text }

    var origins: [String] {
        (allowedOrigins ?? "").split(whereSeparator: { $0 == "," || $0.isNewline || $0 == " " }).map {
            $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        }
    }

    /// Whether a page of `origin` may run this inbox's widget.
    func allows(origin: String?) -> Bool {
        let list = origins
        guard !list.isEmpty else { return true }
        guard let origin else { return false }
        return list.contains(origin.lowercased())
    }

    var emailDelay: TimeInterval { TimeInterval((emailAfterMinutes.flatMap { Int($0) } ?? 5) * 60) }

    func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        for origin in origins {
            let url = URL(string: origin)
            if !["http", "https"].contains(url?.scheme ?? "") || url?.host?.isEmpty != false || url?.path.isEmpty == false {
                out.append(
                    FieldProblem(key: "allowedOrigins", message: "allowedOrigins: \"\(origin)\" is not an origin such as https://shop.example"))
            }
        }
        if let id = emailInboxId, !id.isEmpty, Int64(id) == nil {
            out.append(FieldProblem(key: "emailInboxId", message: "emailInboxId must be the id of an email inbox"))
        }
        if let m = emailAfterMinutes, !m.isEmpty, !(Int(m).map { (1...1440).contains($0) } ?? false) {
            out.append(FieldProblem(key: "emailAfterMinutes", message: "emailAfterMinutes must be a whole number of minutes from 1 to 1440"))
        }
        return out
    }
}

struct ChatCredentials: ChannelFieldSet {
    /// Signs the shop's customers (`hash` = hex HMAC-SHA256 of `<id>:<email>` with this secret).
    var identitySecret: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case identitySecret }
}
