import KotaeChannels
import KotaeCore

extension OutboundFiles.Route {
    /// Routes whose platform fetches a shop's file from a link instead of taking an upload.
    var fetchesByLink: Bool { [.line, .messenger, .instagramDM, .facebookComment].contains(self) }

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
