import KotaeCore

/// A BASE shop's settings: BASE's API cannot make a replacement order, so a Shopify store of
/// the workspace may ship them (`CommerceStore.replacementStoreSetting`).
struct BaseStoreSettings: ChannelFieldSet {
    var replacementStore: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case replacementStore }
}

/// A BASE shop: the app made at BASE Developers, and the refresh token the shop granted it once
/// (BASE's authorization page); Kotae renews the access token with it, hourly.
struct BaseStoreCredentials: ChannelFieldSet {
    var clientId: String?
    var clientSecret: String?
    var refreshToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case clientId, clientSecret, refreshToken }

    var complete: Bool { ![clientId, clientSecret, refreshToken].contains { ($0 ?? "").isEmpty } }
}
