import KotaeCore

/// A LINE inbox: the Messaging API channel (LINE Developers console › the channel).
struct LINESettings: ChannelFieldSet {
    var channelId: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelId }
}

struct LINECredentials: ChannelFieldSet {
    /// Signs the webhooks (`x-line-signature`).
    var channelSecret: String?
    /// Sends replies and reads profiles and content.
    var channelAccessToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case channelSecret, channelAccessToken }
}
