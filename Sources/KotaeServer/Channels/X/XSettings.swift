import KotaeCore

/// An X inbox: the shop's account and its app's keys (Account Activity API, OAuth 1.0a).
struct XSettings: ChannelFieldSet {
    /// The account's own user id: what it posts itself is skipped like an echo.
    var userId: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case userId }
}

struct XCredentials: ChannelFieldSet {
    var consumerKey: String?
    /// Signs the webhooks and answers the CRC check.
    var consumerSecret: String?
    var accessToken: String?
    var accessTokenSecret: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case consumerKey, consumerSecret, accessToken, accessTokenSecret }
}
