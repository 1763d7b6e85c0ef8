import Foundation

public struct User: Codable, Sendable, Equatable {
    public var id: ID
    public var email: String
    public var name: String
    public var role: UserRole
    public var locale: String
    public var timeZone: String
    public var disabled: Bool
    public var createdAt: Date

    public init(id: ID, email: String, name: String, role: UserRole, locale: String, timeZone: String, disabled: Bool, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.locale = locale
        self.timeZone = timeZone
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

public struct Team: Codable, Sendable, Equatable {
    public var id: ID
    public var name: String
    public var memberIds: [ID]

    public init(id: ID, name: String, memberIds: [ID]) {
        self.id = id
        self.name = name
        self.memberIds = memberIds
    }
}

/// An API token as its owner sees it: never the token itself, which is shown once.
public struct APIToken: Codable, Sendable, Equatable {
    public var id: ID
    public var userId: ID
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    /// When it stops working; nil = until revoked.
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(id: ID, userId: ID, name: String, createdAt: Date, lastUsedAt: Date? = nil, expiresAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public func isLive(at now: Date = Date()) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }
}
