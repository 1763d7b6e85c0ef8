/// The kinds of platform message ids Kotae stores (`Message.externalId`). A stored id is
/// the kind's prefix and the platform's own id; every prefix is written here and only here.
public enum ExternalIDKind: String, CaseIterable, Sendable {
    /// A message posted to the API channel, with the caller's own id.
    case api = "api:"
    case line = "line:"
    case linePostback = "line:postback:"
    case messengerMessage = "fb:m:"
    case messengerPostback = "fb:pb:"
    case facebookComment = "fb:c:"
    case instagramMessage = "ig:m:"
    case instagramPostback = "ig:pb:"
    case instagramComment = "ig:c:"
    /// An @mention of the shop: `c:<media>/<comment>` or `m:<media>` after the prefix.
    case instagramMention = "ig:mention:"
    case xPost = "x:t:"
    case xDirectMessage = "x:dm:"
    /// An e-mail, by its Message-ID (or `sha256:<hex>` of the raw mail when it has none).
    case email = "email:"
    /// A chat widget visitor's message, by the visitor and the widget's own id for it
    /// (`<visitor>/<client id>`), so a message the widget sends again is stored once.
    case chat = "chat:"

    /// The stored id of the platform's `id`.
    public func id(_ platformID: String) -> String { rawValue + platformID }

    /// The platform's own id inside a stored id of this kind, or nil when it is of another kind.
    public func platformID(of stored: String?) -> String? {
        guard let stored, Self.of(stored) == self else { return nil }
        return String(stored.dropFirst(rawValue.count))
    }

    /// The kind of a stored id (the longest matching prefix: `line:postback:` before `line:`).
    public static func of(_ stored: String?) -> ExternalIDKind? {
        guard let stored else { return nil }
        return byLength.first { stored.hasPrefix($0.rawValue) }
    }

    private static let byLength = allCases.sorted { $0.rawValue.count > $1.rawValue.count }

    /// A customer's public comment or post, each needing its own answer.
    public var isPublicItem: Bool { [.facebookComment, .instagramComment, .xPost, .instagramMention].contains(self) }

    /// A private message (or button press) in a person's direct thread.
    public var isDirect: Bool {
        [.messengerMessage, .messengerPostback, .instagramMessage, .instagramPostback, .xDirectMessage].contains(self)
    }

    /// A comment on the page's own posts, which the page may hide, delete or like.
    public var isModeratable: Bool { self == .facebookComment || self == .instagramComment }
}

/// The kinds of conversation thread keys (`Conversation.threadKey`): the kind's prefix and
/// the id of whatever the thread belongs to. Every prefix is written here and only here.
public enum ThreadKind: String, CaseIterable, Sendable {
    /// One thread per customer: the default when a channel names none.
    case contact = "contact:"
    case lineGroup = "group:"
    case lineRoom = "room:"
    /// A person's public comments on the page's posts.
    case comments = "comments:"
    /// A person's public posts that mention the shop (X, Instagram).
    case mentions = "mentions:"
    case messenger = "messenger:"
    case instagramDirect = "igdm:"
    case xDirect = "xdm:"
    /// An e-mail thread, by the Message-ID of the mail that started it.
    case email = "mail:"
    /// One of a widget visitor's conversations: `<visitor>/<number>`.
    case chat = "chat:"

    /// The thread key for `id`.
    public func key(_ id: String) -> String { rawValue + id }

    /// The id inside a thread key of this kind, or nil when it is of another kind.
    public func id(of key: String) -> String? {
        key.hasPrefix(rawValue) ? String(key.dropFirst(rawValue.count)) : nil
    }

    public static func of(_ key: String) -> ThreadKind? { allCases.first { key.hasPrefix($0.rawValue) } }
}
