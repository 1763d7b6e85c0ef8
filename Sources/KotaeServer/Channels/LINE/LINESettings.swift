import KotaeCore

/// A LINE inbox: the Messaging API channel (LINE Developers console › the channel).
struct LINESettings: ChannelFieldSet {
    var channelId: String?
    /// The FAQ bot answers first (`FAQBotRule`).
    var faqBot: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelId, faqBot }

    static func kind(of key: CodingKeys) -> ChannelField.Kind { key == .faqBot ? .flag : .text }
}

struct LINECredentials: ChannelFieldSet {
    /// Signs the webhooks (`x-line-signature`).
    var channelSecret: String?
    /// Sends replies and reads profiles and content.
    var channelAccessToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelSecret, channelAccessToken }
}
