import KotaeChannels
import KotaeCore
import KotaeStore

extension OutboundFiles.Route {
    /// Routes whose platform fetches a shop's file from a link instead of taking an upload.
    var fetchesByLink: Bool { [.line, .messenger, .instagramDM, .facebookComment].contains(self) }

    /// Where a reply in this conversation goes. In a comment thread, a private answer goes
    /// into the Messenger or Instagram thread a private reply opened, or is that first
    /// private reply itself.
    static func of(_ c: Conversation, privately: Bool, store: KotaeStore) async throws -> Self {
        switch c.channel {
        case .line: return .line
        case .x: return .x
        case .facebook, .instagram:
            let instagram = c.channel == .instagram
            let dm: Self = instagram ? .instagramDM : .messenger
            if !c.isPublic { return dm }
            if c.isInstagramMention { return .instagramMention }
            if !privately { return instagram ? .instagramComment : .facebookComment }
            let platform: GraphWebhook.Platform = instagram ? .instagram : .facebook
            let opened = try await store.directRecipient(conversationId: c.id, thread: platform.dmThread) != nil
            return opened ? dm : .privateReplyToComment
        default: return .any
        }
    }

    /// The composer's line on what files a reply by this route carries (a strings key).
    var filesHintKey: String? {
        switch self {
        case .line: "filesLINE"
        case .messenger: "filesMessenger"
        case .instagramDM: "filesInstagram"
        case .facebookComment: "filesFacebookPublic"
        case .instagramComment: "filesInstagramPublic"
        case .instagramMention: "filesInstagramMention"
        case .x: "filesX"
        case .privateReplyToComment, .any: nil
        }
    }
}

extension Conversation {
    /// An Instagram @mention on someone else's media: answered in public, in text, only.
    var isInstagramMention: Bool { channel == .instagram && ThreadKind.of(threadKey) == .mentions }
}
