import Foundation
import KotaeCore

/// An API inbox: where Kotae posts the shop's replies, and the secret it signs them with.
struct APIChannelSettings: ChannelFieldSet {
    var webhookUrl: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case webhookUrl }

    func problems() -> [FieldProblem] {
        guard let webhookUrl, !webhookUrl.isEmpty else { return [] }
        let scheme = URL(string: webhookUrl)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", URL(string: webhookUrl)?.host?.isEmpty == false else {
            return [FieldProblem(key: CodingKeys.webhookUrl.stringValue, message: "webhookUrl must be an http(s) URL")]
        }
        return []
    }
}

struct APIChannelCredentials: ChannelFieldSet {
    var webhookSecret: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case webhookSecret }
}
