import KotaeCore
import KotaeStore

/// A Facebook Page inbox (Messenger and the Page's comments).
struct FacebookSettings: ChannelFieldSet {
    var pageId: String?
    var humanAppIds: String?
    /// The page has Meta's HUMAN_AGENT permission: a person may answer up to 7 days after the
    /// customer's last message instead of 24 hours.
    var humanAgentTag: String?
    /// The FAQ bot answers Messenger messages first (`FAQBotRule`).
    var faqBot: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case pageId, humanAppIds, humanAgentTag, faqBot }

    static func kind(of key: CodingKeys) -> ChannelField.Kind { [.humanAgentTag, .faqBot].contains(key) ? .flag : .text }
}

/// An Instagram professional account inbox (DMs, comments and @mentions), through Facebook Login.
struct InstagramSettings: ChannelFieldSet {
    var accountId: String?
    var humanAppIds: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case accountId, humanAppIds }
}

struct FacebookCredentials: ChannelFieldSet {
    var appSecret: String?
    var verifyToken: String?
    var pageAccessToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case appSecret, verifyToken, pageAccessToken }
}

struct InstagramCredentials: ChannelFieldSet {
    var appSecret: String?
    var verifyToken: String?
    var accessToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case appSecret, verifyToken, accessToken }
}

/// Either kind of Meta inbox read once, as the Graph calls and the webhook need it.
struct MetaSettings: Sendable {
    /// The Page's id (Facebook) or the Instagram account's id.
    let account: String?
    /// Apps whose messages on the page count as a person's answer (Messenger's `app_id`).
    let humanAppIds: [String]
    let humanAgentTag: Bool

    init(_ inbox: Inbox) throws {
        if inbox.channel == .instagram {
            let s = try InstagramSettings(stored: inbox.settings)
            (account, humanAppIds, humanAgentTag) = (s.accountId, (s.humanAppIds ?? "").settingList, false)
        } else {
            let s = try FacebookSettings(stored: inbox.settings)
            (account, humanAppIds, humanAgentTag) = (s.pageId, (s.humanAppIds ?? "").settingList, s.humanAgentTag == "true")
        }
    }

    /// Whether a message the page sent from `appId` answers the customer. An echo that does
    /// not name its app (Instagram's) is the page's own; a named app must be listed.
    func countsAsHumanAnswer(appId: String?) -> Bool {
        guard let appId else { return true }
        return humanAppIds.contains(appId)
    }

    /// The app secret (signatures), the verify token (the handshake) and the access token.
    struct Credentials: Sendable {
        let appSecret: String?
        let verifyToken: String?
        let token: String?

        init(stored: [String: String], channel: ChannelKind) throws {
            if channel == .instagram {
                let c = try InstagramCredentials(stored: stored)
                (appSecret, verifyToken, token) = (c.appSecret, c.verifyToken, c.accessToken)
            } else {
                let c = try FacebookCredentials(stored: stored)
                (appSecret, verifyToken, token) = (c.appSecret, c.verifyToken, c.pageAccessToken)
            }
        }

        static func load(_ inbox: Inbox, from store: KotaeStore) async throws -> Self {
            try Self(stored: try await store.inboxes.credentials(id: inbox.id), channel: inbox.channel)
        }

        /// The credentials of inbox `id`, or nil when there is no such inbox.
        static func load(inboxId id: ID, from store: KotaeStore) async throws -> Self? {
            guard let inbox = try await store.inboxes.find(id: id) else { return nil }
            return try await load(inbox, from: store)
        }
    }

    static func form(for kind: ChannelKind) -> ChannelForm {
        kind == .instagram
            ? ChannelForm(settings: InstagramSettings.self, credentials: InstagramCredentials.self, plus: [Listening.field])
            : ChannelForm(settings: FacebookSettings.self, credentials: FacebookCredentials.self, plus: [Listening.field])
    }
}

extension Conversation {
    /// An Instagram @mention on someone else's media: answered in public, in text, only.
    var isInstagramMention: Bool { channel == .instagram && ThreadKind.of(threadKey) == .mentions }
}
