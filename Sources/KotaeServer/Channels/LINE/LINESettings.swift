import KotaeCore

/// A LINE inbox: the Messaging API channel (LINE Developers console › the channel).
struct LINESettings: ChannelFieldSet {
    var channelId: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelId }

    static func describe(_ key: CodingKeys) -> (en: String, ja: String, kind: ChannelField.Kind) { ("Channel ID", "チャネル ID", .text) }
}

struct LINECredentials: ChannelFieldSet {
    /// Signs the webhooks (`x-line-signature`).
    var channelSecret: String?
    /// Sends replies and reads profiles and content.
    var channelAccessToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelSecret, channelAccessToken }

    static func describe(_ key: CodingKeys) -> (en: String, ja: String, kind: ChannelField.Kind) {
        switch key {
        case .channelSecret: ("Channel secret", "チャネルシークレット", .secret)
        case .channelAccessToken: ("Channel access token", "チャネルアクセストークン", .secret)
        }
    }
}
