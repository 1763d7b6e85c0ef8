import Foundation

/// One key of a channel's settings or credentials as an admin fills it in.
public struct ChannelField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Shown and edited as it is.
        case text
        /// Write-only: stored sealed, the page says only whether one is set.
        case secret
        /// On or off (stored as "true", or absent).
        case flag
    }

    /// The stored key; the page's label is the UI strings' `field_<key>`.
    public let key: String
    public let kind: Kind

    public init(key: String, kind: Kind = .text) {
        self.key = key
        self.kind = kind
    }
}

/// What is wrong with one value, keyed as the API names it (`settings.webhookUrl`).
public struct FieldProblem: Error, Sendable, Equatable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}

/// A channel's settings (plain) or credentials (secret) as one Codable type. Each key is
/// named once, in the type's `CodingKeys`; the settings page lists its fields from them and
/// the API refuses a key the type does not have. Stored as a flat map of strings (the wire
/// form of `Inbox.settings` and of the sealed credentials), so stored rows and API clients
/// stay as they are.
public protocol ChannelFieldSet: Codable, Sendable {
    /// The keys, in the order the page shows them (the type's own Codable keys).
    associatedtype CodingKeys: CodingKey, CaseIterable

    /// How the page shows `key` (text unless said otherwise).
    static func kind(of key: CodingKeys) -> ChannelField.Kind

    /// Values that read but cannot work (a webhook URL that is not http(s)).
    func problems() -> [FieldProblem]
}

extension ChannelFieldSet {
    public func problems() -> [FieldProblem] { [] }
    public static func kind(of key: CodingKeys) -> ChannelField.Kind { .text }

    /// The fields in the order the page shows them.
    public static var fields: [ChannelField] { CodingKeys.allCases.map { ChannelField(key: $0.stringValue, kind: kind(of: $0)) } }

    /// Reads the stored map; keys the type does not have are left aside. Read on every
    /// webhook's verification, so the coders are made once.
    public init(stored: [String: String]) throws {
        self = try StoredFields.decoder.decode(Self.self, from: StoredFields.encoder.encode(stored))
    }
}

/// The coders for stored field maps (stateless while coding, so shared).
private enum StoredFields {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()
}

/// A channel without settings of its own.
public struct NoChannelFields: ChannelFieldSet {
    public enum CodingKeys: CodingKey, CaseIterable {}
    public init() {}
}

extension String {
    /// A stored list setting ("a, b、c" or one per line) as its items.
    public var settingList: [String] {
        split(whereSeparator: { $0 == "," || $0 == "、" || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
