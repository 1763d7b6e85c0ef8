import Foundation
import KotaeCore
import KotaeStore

/// How the help center presents the shop: its name, logo and colour, and where customers
/// reach it. One workspace setting (`help_center`), edited by admins.
struct HelpCenterSettings: Codable, Sendable, Equatable {
    var shopName: String
    /// An https address of the logo, shown in the header.
    var logoURL: String?
    /// The shop's colour, `#RRGGBB`, for the header and links.
    var color: String
    /// The address customers write to.
    var supportEmail: String?
    var phone: String?
    /// The shop's return policy (Google Merchant Center asks for one).
    var returnPolicyURL: String?
    /// The email inbox the contact form writes into (replies then go by email); no form without one.
    var contactInboxId: Int64?

    static let key = "help_center"
    static let standard = HelpCenterSettings(shopName: "Kotae", color: "#2f6f4f")

    static func load(_ store: KotaeStore) async throws -> HelpCenterSettings {
        guard let text = try await store.setting(key) else { return standard }
        return (try? JSONDecoder().decode(HelpCenterSettings.self, from: Data(text.utf8))) ?? standard
    }

    /// Saved, and the help center's version bumped: its pages show the shop anew.
    func save(_ store: KotaeStore) async throws {
        try await store.help.saveSettings(key: Self.key, String(decoding: try JSONEncoder().encode(self), as: UTF8.self))
    }

    /// What cannot work, by field.
    func problems() -> [FieldProblem] {
        var found: [FieldProblem] = []
        if shopName.trimmingCharacters(in: .whitespaces).isEmpty || shopName.count > 100 {
            found.append(FieldProblem(key: "shopName", message: "the shop's name, 1 to 100 characters"))
        }
        if color.wholeMatch(of: /#[0-9a-fA-F]{6}/) == nil { found.append(FieldProblem(key: "color", message: "a colour as #RRGGBB")) }
        for (key, value) in [("logoURL", logoURL), ("returnPolicyURL", returnPolicyURL)] {
            if let value, !value.isEmpty, !(value.hasPrefix("https://") || value.hasPrefix("http://")) || value.count > 2000 {
                found.append(FieldProblem(key: key, message: "an http(s) address"))
            }
        }
        if let supportEmail, !supportEmail.isEmpty, !ContactPage.isAddress(supportEmail) {
            found.append(FieldProblem(key: "supportEmail", message: "an email address"))
        }
        return found
    }
}
