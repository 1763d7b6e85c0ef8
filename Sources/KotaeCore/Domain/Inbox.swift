import Foundation

public struct Inbox: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var channel: ChannelKind
    /// Channel settings that are not secret (e.g. the API channel's outbound webhook URL).
    public var settings: [String: String]
    /// Whether secret credentials are stored; their values never leave the server.
    public var hasCredentials: Bool
    public var slaPolicy: SLAPolicy
    public var createdAt: Date

    public init(id: ID, name: String, channel: ChannelKind, settings: [String: String], hasCredentials: Bool, slaPolicy: SLAPolicy, createdAt: Date) {
        self.id = id
        self.name = name
        self.channel = channel
        self.settings = settings
        self.hasCredentials = hasCredentials
        self.slaPolicy = slaPolicy
        self.createdAt = createdAt
    }
}

extension Inbox {
    /// The setting that carries a channel problem an admin must act on (`setChannelProblem`).
    public static let channelProblemSetting = "credentialProblem"
}
