import Foundation

public struct ContactIdentity: Codable, Sendable, Equatable, Hashable {
    /// The identity's kind: a channel name (`email`, `facebook`, `line`, …) or `phone`.
    public var channel: String
    public var externalId: String
    public init(channel: String, externalId: String) {
        self.channel = channel
        self.externalId = externalId
    }
}

public struct Contact: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var email: String?
    public var phone: String?
    public var identities: [ContactIdentity]
    public var mergedInto: ID?
    public var createdAt: Date
    /// Their profile picture from the platform, in the attachment store.
    public var avatarSHA256: String? = nil

    public init(
        id: ID, name: String, email: String? = nil, phone: String? = nil, identities: [ContactIdentity], mergedInto: ID? = nil,
        createdAt: Date, avatarSHA256: String? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.identities = identities
        self.mergedInto = mergedInto
        self.createdAt = createdAt
        self.avatarSHA256 = avatarSHA256
    }
}
